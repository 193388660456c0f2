package dev.vask.platform.push;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import dev.vask.platform.usage.UsageMeter;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;

/**
 * Sends pushes to push services, non-blocking: at most {@code max-in-flight} on the wire per node, at most
 * {@code queue-capacity} more waiting (a batch that does not fit is refused whole, so memory stays bounded however
 * slow a push service is). Encryption and signing run on the parallel scheduler, never on an event loop: queued
 * pushes reach the delivery loop there ({@code publishOn}, many pushes per hop) and, when the app's key and the
 * endpoint's address check are already in memory, are encrypted and signed right there; otherwise the reactive road
 * reads what is missing first. Requests go out through Reactor Netty's {@link HttpClient} (its own pool, sized to the
 * pushes in flight).
 *
 * <p>Outcomes, as push services answer (RFC 8030, docs/web-push-delivery.md): 2xx counts as sent; 404 and 410
 * delete the subscription and count as gone; 429, 5xx and network errors are retried with exponential backoff
 * (or after Retry-After when the service names a longer wait), at most {@code max-attempts} times within
 * {@code retry-budget}, each retry with the TTL that is left; anything else counts as failed. Right before each
 * signature the key is checked to be still the app's current key: a rotated-away key never signs.
 */
public final class PushDelivery implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PushDelivery.class);
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(1);
    /** Pushes handed to the parallel scheduler per hop from the queue. */
    private static final int PREPARE_BATCH = 64;

    private final PushProperties properties;
    private final PushApps apps;
    private final PushSubscriptions subscriptions;
    private final PushEndpoints endpoints;
    private final VapidSigner signer;
    private final UsageMeter usage;
    private final HttpClient http;
    private final Clock clock;
    private final int capacity;
    private final AtomicInteger pending = new AtomicInteger();
    private final Sinks.Many<PushMessage> queue = Sinks.many().unicast().onBackpressureBuffer();
    private final Disposable worker;
    private final LongAdder sent = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder gone = new LongAdder();

    PushDelivery(PushProperties properties, PushApps apps, PushSubscriptions subscriptions, PushEndpoints endpoints, VapidSigner signer,
            UsageMeter usage, HttpClient http, Clock clock) {
        this.properties = properties;
        this.apps = apps;
        this.subscriptions = subscriptions;
        this.endpoints = endpoints;
        this.signer = signer;
        this.usage = usage;
        this.http = http;
        this.clock = clock;
        this.capacity = properties.maxInFlight() + properties.queueCapacity();
        this.worker = queue.asFlux()
                .publishOn(Schedulers.parallel(), PREPARE_BATCH)
                .flatMap(message -> deliver(message).doFinally(signal -> pending.decrementAndGet()), properties.maxInFlight(), 1)
                .subscribe();
    }

    /** Queues the pushes if all of them fit; false (nothing queued) when the node has too many waiting. */
    boolean offer(List<PushMessage> messages) {
        int n = messages.size();
        while (true) {
            int now = pending.get();
            if (now + n > capacity) {
                return false;
            }
            if (pending.compareAndSet(now, now + n)) {
                break;
            }
        }
        synchronized (queue) {
            for (PushMessage message : messages) {
                queue.emitNext(message, Sinks.EmitFailureHandler.FAIL_FAST);
            }
        }
        return true;
    }

    /** Whether not even one more push would fit: the push API then refuses at once, without reading the subscriptions. */
    boolean full() {
        return pending.get() >= capacity;
    }

    /** Pushes queued or on the wire on this node. */
    public int pending() {
        return pending.get();
    }

    /** Totals since start on this node (usage counts them per app and day). */
    public long sent() {
        return sent.sum();
    }

    public long failed() {
        return failed.sum();
    }

    public long gone() {
        return gone.sum();
    }

    private Mono<Void> deliver(PushMessage message) {
        Instant first = clock.instant();
        PushSubscriptions.Target target = message.target();
        if (target.expires() != null && !target.expires().isAfter(first)) {
            return gone(message);
        }
        URI uri;
        try {
            uri = endpoints.parse(target.endpoint());
        }
        catch (IllegalArgumentException refused) {
            return failed(message, "endpoint refused: " + refused.getMessage());
        }
        return attempt(message, uri, 1, first)
                .onErrorResume(error -> {
                    log.atWarn().addKeyValue("appId", message.app()).log("Push failed unexpectedly: {}", error.toString());
                    return count(message, Outcome.FAILED);
                });
    }

    /** Runs on the parallel scheduler: first attempts come through publishOn, retries after Mono.delay. */
    private Mono<Void> attempt(PushMessage message, URI uri, int attempt, Instant first) {
        long keyId = message.target().keyId();
        PushApp known = endpoints.knownSafe(uri) ? apps.currentIfKnown(message.app(), keyId) : null;
        Mono<Void> done;
        if (known != null) {
            // the address check passed and keyId is the app's current key, both answered from memory just now;
            // a failure here must become the Mono's error, not escape into the delivery loop
            Mono<Void> fromMemory;
            try {
                fromMemory = send(message, uri, attempt, first, prepare(message, uri, known, first));
            }
            catch (RuntimeException e) {
                fromMemory = Mono.error(e);
            }
            done = fromMemory;
        }
        else {
            done = endpoints.checkAddresses(uri)
                    .then(apps.isCurrent(message.app(), keyId))
                    .flatMap(current -> {
                        if (!current) {
                            // the key was rotated away: its subscriptions are deleted with it, nothing may be signed with it
                            return count(message, Outcome.FAILED);
                        }
                        return apps.get(message.app()).flatMap(app -> {
                            if (app.key().filter(k -> k.id() == keyId).isEmpty()) {
                                return count(message, Outcome.FAILED);
                            }
                            return Mono.fromCallable(() -> prepare(message, uri, app, first))
                                    .subscribeOn(Schedulers.parallel())
                                    .flatMap(prepared -> send(message, uri, attempt, first, prepared));
                        });
                    });
        }
        return done.onErrorResume(IllegalArgumentException.class, refused -> failed(message, refused.getMessage()));
    }

    /** Encrypts and signs; the app's key is the one the subscription is bound to (checked by the caller). */
    private Prepared prepare(PushMessage message, URI uri, PushApp app, Instant first) {
        VapidKey key = app.key().orElseThrow();
        long elapsed = Duration.between(first, clock.instant()).toSeconds();
        int ttl = (int) Math.max(0, message.ttl() - elapsed);
        return new Prepared(WebPushCrypto.encrypt(message.payload(), message.target().p256dh(), message.target().auth()),
                signer.authorization(key, uri, app.subject(), clock.instant()), ttl);
    }

    private Mono<Void> send(PushMessage message, URI uri, int attempt, Instant first, Prepared prepared) {
        return post(uri, message, prepared)
                .onErrorResume(error -> error instanceof IllegalArgumentException ? Mono.error(error)
                        : Mono.just(Result.retry(null, "network: " + error)))
                .flatMap(result -> settle(message, uri, attempt, first, result));
    }

    private Mono<Result> post(URI uri, PushMessage message, Prepared prepared) {
        return http.post().uri(uri)
                .send((request, outbound) -> {
                    io.netty.handler.codec.http.HttpHeaders headers = request.requestHeaders();
                    headers.set("TTL", prepared.ttl());
                    headers.set(HttpHeaderNames.CONTENT_ENCODING, "aes128gcm");
                    headers.set(HttpHeaderNames.CONTENT_TYPE, "application/octet-stream");
                    headers.set(HttpHeaderNames.AUTHORIZATION, prepared.authorization());
                    headers.setInt(HttpHeaderNames.CONTENT_LENGTH, prepared.body().length);
                    if (message.urgency() != null) {
                        headers.set("Urgency", message.urgency());
                    }
                    if (message.topic() != null) {
                        headers.set("Topic", message.topic());
                    }
                    return outbound.sendObject(Unpooled.wrappedBuffer(prepared.body()));
                })
                // the answer's body is drained (Reactor Netty releases each buffer after onNext), only status and Retry-After matter
                .response((response, body) -> body.then(Mono.fromSupplier(() ->
                        classify(response.status().code(), response.responseHeaders().get(HttpHeaderNames.RETRY_AFTER)))))
                .next()
                .timeout(properties.responseTimeout().plus(properties.connectTimeout()));
    }

    private Result classify(int status, @Nullable String retryAfter) {
        if (status >= 200 && status < 300) {
            return new Result(Outcome.SENT, null, status + "");
        }
        if (status == 404 || status == 410) {
            return new Result(Outcome.GONE, null, status + "");
        }
        if (status == 429 || status >= 500) {
            return Result.retry(retryAfter(retryAfter), status + "");
        }
        return new Result(Outcome.FAILED, null, status + "");
    }

    private Mono<Void> settle(PushMessage message, URI uri, int attempt, Instant first, Result result) {
        return switch (result.outcome()) {
            case SENT -> count(message, Outcome.SENT);
            case GONE -> gone(message);
            case FAILED -> subscriptions.recordFailure(message.target().id()).onErrorResume(error -> Mono.empty())
                    .then(failed(message, "push service answered " + result.detail()));
            case RETRY -> {
                Duration backoff = properties.firstBackoff().multipliedBy(1L << Math.min(attempt - 1, 20));
                backoff = backoff.plusMillis(ThreadLocalRandom.current().nextLong(Math.max(1, backoff.toMillis() / 10)));
                Duration wait = result.retryAfter() != null && result.retryAfter().compareTo(backoff) > 0 ? result.retryAfter() : backoff;
                wait = wait.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait;
                boolean inBudget = Duration.between(first, clock.instant()).plus(wait).compareTo(properties.retryBudget()) <= 0;
                if (attempt >= properties.maxAttempts() || !inBudget) {
                    yield failed(message, "gave up after " + attempt + " attempts (last: " + result.detail() + ")");
                }
                // deferred: the next attempt is built (and encrypted) on the parallel thread that ends the wait
                yield Mono.delay(wait).then(Mono.defer(() -> attempt(message, uri, attempt + 1, first)));
            }
        };
    }

    private Mono<Void> gone(PushMessage message) {
        return subscriptions.deleteGone(message.target().id())
                .onErrorResume(error -> Mono.empty())
                .then(count(message, Outcome.GONE));
    }

    private Mono<Void> failed(PushMessage message, String why) {
        log.atDebug().addKeyValue("appId", message.app()).log("Push not delivered: {}", why);
        return count(message, Outcome.FAILED);
    }

    private Mono<Void> count(PushMessage message, Outcome outcome) {
        switch (outcome) {
            case SENT -> {
                sent.increment();
                usage.recordPushes(message.app(), 1, 0, 0);
            }
            case GONE -> {
                gone.increment();
                usage.recordPushes(message.app(), 0, 0, 1);
            }
            default -> {
                failed.increment();
                usage.recordPushes(message.app(), 0, 1, 0);
            }
        }
        return Mono.empty();
    }

    /** Retry-After as delta-seconds or an HTTP date; null when absent or unreadable. */
    static @Nullable Duration retryAfter(@Nullable String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String text = value.trim();
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(text)));
        }
        catch (NumberFormatException notSeconds) {
            try {
                Duration until = Duration.between(Instant.now(), ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                return until.isNegative() ? Duration.ZERO : until;
            }
            catch (RuntimeException unreadable) {
                return null;
            }
        }
    }

    /** Stops delivering; pushes still waiting on this node are dropped. */
    @Override
    public void close() {
        worker.dispose();
    }

    private enum Outcome { SENT, GONE, FAILED, RETRY }

    private record Result(Outcome outcome, @Nullable Duration retryAfter, String detail) {
        static Result retry(@Nullable Duration retryAfter, String detail) {
            return new Result(Outcome.RETRY, retryAfter, detail);
        }
    }

    private record Prepared(byte[] body, String authorization, int ttl) {
    }
}
