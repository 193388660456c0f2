package dev.vask.realtime.app;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * An {@link AppDirectory} held in memory: for tests, benchmarks and embedding realtime without a
 * database. {@link #put(AppConfig)} and {@link #remove(AppId)} announce the change at once.
 */
public final class InMemoryAppDirectory implements AppDirectory {

    private final Map<AppId, AppConfig> apps = new ConcurrentHashMap<>();
    private final Sinks.Many<AppChange> changes = Sinks.many().multicast().directBestEffort();

    @Override
    public Mono<AppConfig> findByKey(String key) {
        return Mono.fromSupplier(() -> apps.values().stream().filter(app -> app.hasActiveKey(key)).findFirst().orElse(null));
    }

    @Override
    public Mono<AppConfig> findById(AppId id) {
        return Mono.fromSupplier(() -> apps.get(id));
    }

    @Override
    public Flux<AppChange> changes() {
        return changes.asFlux();
    }

    public void put(AppConfig app) {
        apps.put(app.id(), app);
        announce(app.id());
    }

    public void remove(AppId id) {
        apps.remove(id);
        announce(id);
    }

    // synchronized: the sink accepts one emitter at a time; with no subscriber the change is moot
    private synchronized void announce(AppId id) {
        changes.tryEmitNext(AppChange.of(id));
    }
}
