package dev.vask.realtime.limits;

import dev.vask.realtime.app.AppConfig;
import dev.vask.realtime.app.AppId;
import reactor.core.publisher.Mono;

/** One node: the hub counts the app's sockets itself, exactly, when it accepts them; nothing to add here. */
public final class LocalConnectionQuota implements ConnectionQuota {

    private static final Mono<Boolean> YES = Mono.just(true);

    @Override
    public Mono<Boolean> tryAcquire(AppConfig app) {
        return YES;
    }

    @Override
    public void release(AppId app) {
        // nothing was taken
    }
}
