package dev.vask.platform.vapid;

import java.util.concurrent.atomic.AtomicLong;

import dev.vask.platform.audit.AuditAction;
import dev.vask.platform.audit.AuditLog;
import dev.vask.realtime.app.AppChange;
import dev.vask.realtime.app.AppId;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Replaces keys that are older than their app's rotation period. Runs on every node, every
 * {@link VapidProperties#rotationCheckInterval()}; nodes never rotate one app twice: each app is rotated in a
 * transaction of its own that locks the app row with {@code skip locked} (a node that finds another one at work
 * leaves the app) and checks again, under the lock, that the key is still due (a node that comes a moment after
 * another finds the fresh key). A crash mid-way rolls the transaction back: the old key stays current, never
 * none or two. Each rotation writes an audit entry by {@value #ACTOR}.
 */
final class VapidRotationSchedule implements SmartLifecycle {

    static final String ACTOR = "vask:vapid-schedule";
    private static final Logger log = LoggerFactory.getLogger(VapidRotationSchedule.class);

    private final VapidKeys keys;
    private final AuditLog audit;
    private final TransactionalOperator transactions;
    private final ApplicationEventPublisher events;
    private final VapidProperties properties;
    private final AtomicLong rotations = new AtomicLong();
    private volatile @Nullable Disposable ticking;

    VapidRotationSchedule(VapidKeys keys, AuditLog audit, TransactionalOperator transactions, ApplicationEventPublisher events,
            VapidProperties properties) {
        this.keys = keys;
        this.audit = audit;
        this.transactions = transactions;
        this.events = events;
        this.properties = properties;
    }

    @Override
    public synchronized void start() {
        if (ticking == null) {
            ticking = Flux.interval(properties.rotationCheckInterval(), properties.rotationCheckInterval())
                    .onBackpressureDrop()
                    .concatMap(tick -> rotateDue()
                            .onErrorResume(error -> {
                                log.atWarn().log("Scheduled Web Push key rotation failed: {}", error.toString());
                                return Mono.empty();
                            }), 1)
                    .subscribe();
        }
    }

    /** Rotates every app that is due now (up to the batch size); completes with how many this node rotated. */
    Mono<Long> rotateDue() {
        return keys.due(properties.rotationBatch())
                .concatMap(this::rotateIfDue)
                .count();
    }

    private Mono<VapidKeys.Rotation> rotateIfDue(long appId) {
        Mono<VapidKeys.Rotation> rotate = keys.rotateIfDue(appId)
                .flatMap(rotation -> audit.recordBySystem(ACTOR, rotation.tenantId(), AuditAction.VAPID_ROTATED, Long.toString(appId),
                        VapidService.details(rotation, "scheduled")).thenReturn(rotation));
        return transactions.transactional(rotate)
                .doOnNext(rotation -> {
                    rotations.incrementAndGet();
                    events.publishEvent(AppChange.of(new AppId(appId)));
                });
    }

    /** Rotations this node performed since it started. */
    long rotations() {
        return rotations.get();
    }

    @Override
    public synchronized void stop() {
        Disposable current = ticking;
        ticking = null;
        if (current != null) {
            current.dispose();
        }
    }

    @Override
    public boolean isRunning() {
        return ticking != null;
    }
}
