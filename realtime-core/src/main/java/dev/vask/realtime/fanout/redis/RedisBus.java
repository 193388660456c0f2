package dev.vask.realtime.fanout.redis;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import dev.vask.realtime.app.AppId;
import dev.vask.realtime.channel.ChannelName;
import dev.vask.realtime.cluster.redis.RedisConnections;
import dev.vask.realtime.fanout.Bus;
import dev.vask.realtime.fanout.BusUnavailableException;
import dev.vask.realtime.fanout.ChannelEvent;
import dev.vask.realtime.fanout.LocalDelivery;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.api.async.RedisPubSubAsyncCommands;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The cluster {@link Bus}: one Redis pub/sub topic per channel ({@code <prefix>c:<app>:<channel>}, a signed-in
 * user's events being the channel {@code #server-to-user-<id>}). A publish is exactly one {@code PUBLISH}
 * (one {@code SPUBLISH} on a Redis Cluster, which only the shard owning the topic's slot handles); a node
 * listens only to the topics its sockets need, as the hub reports them. Each message reaching a node is
 * decoded once and handed to local delivery, which encodes its frame once for every local subscriber.
 *
 * <p>Order: one connection publishes and one receives, and Redis keeps the order of one connection's messages
 * on a topic, so events keep their per-channel order per publishing node.
 *
 * <p>Failures: a publish fails with {@link BusUnavailableException} while Redis is unreachable or slow (never
 * queued to be sent later); after a reconnection every topic this node needs is subscribed again.
 * Metrics: {@code vask.bus.publish.failures}, {@code vask.bus.resubscribes} and {@code vask.bus.delivery.latency}
 * (publish to local delivery, across the nodes' clocks).
 */
public final class RedisBus implements Bus {

    private static final Logger log = LoggerFactory.getLogger(RedisBus.class);

    private final RedisConnections redis;
    private final LocalDelivery delivery;
    private final String topicPrefix;
    /** The topics this bus subscribes again after a reconnection; null: the node's hub supplies them (see {@link #resubscribe(java.util.Collection)}). */
    private final @org.jspecify.annotations.Nullable Set<String> topics;
    private final Counter publishFailures;
    private final Counter resubscribes;
    private final Timer latency;

    private volatile java.util.function.BooleanSupplier open = () -> true;

    /** A bus that subscribes its topics again by itself after a reconnection. */
    public RedisBus(RedisConnections redis, LocalDelivery delivery, MeterRegistry meters) {
        this(redis, delivery, meters, true);
    }

    /**
     * @param resubscribeOnReconnect false when the node's {@code NodeRegistry} calls {@link #resubscribe()} itself, as
     *        the first step of writing the node's state again
     */
    public RedisBus(RedisConnections redis, LocalDelivery delivery, MeterRegistry meters, boolean resubscribeOnReconnect) {
        this.topics = resubscribeOnReconnect ? ConcurrentHashMap.newKeySet() : null;
        this.redis = redis;
        this.delivery = delivery;
        this.topicPrefix = redis.prefix() + "c:";
        this.publishFailures = Counter.builder("vask.bus.publish.failures").description("Events the bus could not hand to Redis")
                .register(meters);
        this.resubscribes = Counter.builder("vask.bus.resubscribes").description("Topics subscribed again after a Redis reconnection")
                .register(meters);
        this.latency = Timer.builder("vask.bus.delivery.latency").description("Time from publish to local delivery, across nodes")
                .publishPercentiles(0.5, 0.99).register(meters);
        redis.pubsub().addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String topic, String message) {
                receive(message);
            }

            @Override
            public void smessage(String topic, String message) {
                receive(message);
            }
        });
        if (resubscribeOnReconnect) {
            redis.onReconnect(() -> resubscribe().subscribe());
        }
    }

    /**
     * Publishes only while {@code open} says so: after a Redis outage, until every node known before it listens
     * again, an event could reach Redis and still miss a node's subscribers; it is refused instead.
     */
    public void gate(java.util.function.BooleanSupplier open) {
        this.open = open;
    }

    @Override
    public Mono<Void> publish(ChannelEvent event) {
        if (!open.getAsBoolean()) {
            publishFailures.increment();
            return Mono.error(new BusUnavailableException("The cluster is re-forming after losing Redis; retry shortly"));
        }
        String topic = topic(event.app(), event.channel());
        String message = BusMessages.encode(event, nowMicros());
        Mono<Long> sent = redis.sharded() ? redis.commands().spublish(topic, message) : redis.commands().publish(topic, message);
        return sent.onErrorMap(error -> {
            publishFailures.increment();
            return new BusUnavailableException("Redis did not take the event: " + error.getMessage(), error);
        }).then();
    }

    @Override
    public Mono<Void> subscribed(AppId app, String channel) {
        String topic = topic(app, channel);
        if (topics != null) {
            topics.add(topic);
        }
        return Mono.fromCompletionStage(subscribe(topic))
                .onErrorMap(error -> {
                    if (topics != null) {
                        topics.remove(topic);
                    }
                    return new BusUnavailableException("Redis did not take the subscription: " + error.getMessage(), error);
                })
                .then();
    }

    @Override
    public void unsubscribed(AppId app, String channel) {
        String topic = topic(app, channel);
        if (topics != null) {
            topics.remove(topic);
        }
        RedisPubSubAsyncCommands<String, String> commands = redis.pubsub().async();
        (redis.sharded() ? commands.sunsubscribe(topic) : commands.unsubscribe(topic)).exceptionally(error -> {
            log.debug("Unsubscribing {} failed: {}", topic, error.getMessage());
            return null;
        });
    }


    @Override
    public void close() {
        // the connections belong to RedisConnections
    }

    private java.util.concurrent.CompletionStage<Void> subscribe(String topic) {
        RedisPubSubAsyncCommands<String, String> commands = redis.pubsub().async();
        return redis.sharded() ? commands.ssubscribe(topic) : commands.subscribe(topic);
    }

    /**
     * Subscribes again to every topic this node needs, after a reconnection (Lettuce restores them too;
     * subscribing twice is harmless, missing one is not). Fails if any subscribe fails.
     */
    public Mono<Void> resubscribe() {
        return topics == null ? Mono.empty() : resubscribeTopics(Set.copyOf(topics));
    }

    /** Subscribes again to these topics (as (app, channel)), as {@link #resubscribe()} does with its own list. */
    public Mono<Void> resubscribe(java.util.Collection<dev.vask.realtime.presence.ChannelKey> channels) {
        return resubscribeTopics(channels.stream().map(key -> topic(key.app(), key.channel())).toList());
    }

    private Mono<Void> resubscribeTopics(java.util.Collection<String> list) {
        return Flux.fromIterable(list)
                .flatMap(topic -> Mono.fromCompletionStage(subscribe(topic)).doOnSuccess(done -> resubscribes.increment()), 64)
                .then();
    }

    private void receive(String message) {
        BusMessages.Decoded decoded = BusMessages.decode(message);
        if (decoded == null) {
            log.debug("Dropped a bus message this node cannot read");
            return;
        }
        latency.record(Math.max(0, nowMicros() - decoded.publishedAtMicros()), TimeUnit.MICROSECONDS);
        delivery.deliver(decoded.event());
    }

    /** A user's termination travels on the user's own topic, which every node where it is signed in listens to. */
    String topic(AppId app, String channel) {
        String name = channel.startsWith(ChannelName.TERMINATE_PREFIX)
                ? ChannelName.SERVER_TO_USER_PREFIX + channel.substring(ChannelName.TERMINATE_PREFIX.length())
                : channel;
        return topicPrefix + app.value() + ":" + name;
    }

    private static long nowMicros() {
        Instant now = Instant.now();
        return ChronoUnit.MICROS.between(Instant.EPOCH, now);
    }

}
