package dev.vask.platform.usage;

import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Flushes the {@link UsageMeter} every interval while the application runs, and once more when it
 * stops (after the web server has stopped taking requests, before the connection pool closes), so a
 * graceful shutdown loses no counts.
 */
final class UsageFlusher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(UsageFlusher.class);
    /** Stops after the web server (graceful shutdown runs at DEFAULT_PHASE - 1024, the server itself at - 2048). */
    static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;
    private static final Duration FINAL_FLUSH_TIMEOUT = Duration.ofSeconds(10);

    private final UsageMeter meter;
    private final Duration interval;
    private volatile @Nullable Disposable ticking;

    UsageFlusher(UsageMeter meter, Duration interval) {
        this.meter = meter;
        this.interval = interval;
    }

    @Override
    public synchronized void start() {
        if (ticking == null) {
            ticking = Flux.interval(interval, interval)
                    .onBackpressureDrop()
                    .concatMap(tick -> meter.flush().onErrorResume(error -> Mono.empty()), 1)
                    .subscribe();
        }
    }

    @Override
    public void stop(Runnable callback) {
        Disposable current;
        synchronized (this) {
            current = ticking;
            ticking = null;
        }
        if (current == null) {
            callback.run();
            return;
        }
        current.dispose();
        meter.flush()
                .onErrorResume(error -> Mono.empty())
                .then(meter.leave())
                .timeout(FINAL_FLUSH_TIMEOUT)
                .doOnError(error -> log.atWarn().log("Final usage flush failed: {}", error.toString()))
                .doFinally(signal -> callback.run())
                .subscribe(done -> { }, error -> { });
    }

    @Override
    public void stop() {
        stop(() -> { });
    }

    @Override
    public boolean isRunning() {
        return ticking != null;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
