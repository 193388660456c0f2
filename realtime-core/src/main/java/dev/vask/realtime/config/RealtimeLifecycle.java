package dev.vask.realtime.config;

import java.util.Optional;

import dev.vask.realtime.RealtimeProperties;
import dev.vask.realtime.app.AppChange;
import dev.vask.realtime.app.AppDirectory;
import dev.vask.realtime.app.AppId;
import dev.vask.realtime.connection.Hub;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Realtime's part of the application's life: while running, applies tenant changes to open sockets
 * (a disabled app or revoked key closes them, a changed limit applies at once); on shutdown, takes
 * readiness down, refuses new sockets and closes the open ones with 4200 over the drain period, before
 * the web server stops.
 */
public final class RealtimeLifecycle implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RealtimeLifecycle.class);

    private final Hub hub;
    private final AppDirectory directory;
    private final RealtimeProperties properties;
    private final ApplicationEventPublisher events;
    private Disposable.Composite running = Disposables.composite();
    private volatile boolean started;
    private volatile boolean stoppedBefore;

    public RealtimeLifecycle(Hub hub, AppDirectory directory, RealtimeProperties properties, ApplicationEventPublisher events) {
        this.hub = hub;
        this.directory = directory;
        this.properties = properties;
        this.events = events;
    }

    /** Also called when a stopped context starts again (Spring pauses idle test contexts, for one). */
    @Override
    public synchronized void start() {
        running = Disposables.composite();
        hub.accept();
        // the directory's stream is hot and drops what a subscriber has not asked for: refreshing one app takes a
        // lookup, so changes that arrive meanwhile (a tenant's apps deleted together) wait here instead of being lost
        running.add(directory.changes()
                .onBackpressureBuffer()
                .concatMap(change -> switch (change) {
                    case AppChange.Changed(AppId app) -> refresh(app);
                    case AppChange.Unknown() -> Flux.fromIterable(hub.apps()).concatMap(this::refresh).then();
                })
                .subscribe());
        started = true;
        if (stoppedBefore) {
            // the first start's readiness is Spring Boot's to declare (once the application is ready); after a stop
            // nobody else takes back the REFUSING_TRAFFIC that stop() published
            AvailabilityChangeEvent.publish(events, this, ReadinessState.ACCEPTING_TRAFFIC);
        }
    }

    private Mono<Void> refresh(AppId app) {
        return directory.findById(app)
                .map(Optional::of)
                .defaultIfEmpty(Optional.empty())
                .doOnNext(config -> hub.appChanged(app, config.orElse(null)))
                .onErrorResume(error -> {
                    log.atWarn().addKeyValue("appId", app).log("Could not re-read a changed app: {}", error.getMessage());
                    return Mono.empty();
                })
                .then();
    }

    @Override
    public void stop(Runnable callback) {
        stoppedBefore = true;
        AvailabilityChangeEvent.publish(events, this, ReadinessState.REFUSING_TRAFFIC);
        hub.drain(properties.drainPeriod())
                .doFinally(signal -> {
                    synchronized (this) {
                        running.dispose();
                    }
                    started = false;
                    callback.run();
                })
                .subscribe(null, error -> log.warn("Draining sockets failed: {}", error.getMessage()));
    }

    @Override
    public void stop() {
        stop(() -> { });
    }

    @Override
    public boolean isRunning() {
        return started;
    }

    /** Before the web server's graceful shutdown (DEFAULT_PHASE - 1024): sockets are told to move first. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 512;
    }
}
