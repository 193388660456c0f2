package dev.vask.realtime.cluster.redis;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.vask.realtime.cluster.ClusterProperties;
import dev.vask.realtime.cluster.NodeId;
import dev.vask.realtime.fanout.Bus;
import dev.vask.realtime.fanout.ChannelEvent;
import dev.vask.realtime.fanout.redis.RedisBus;
import dev.vask.realtime.presence.redis.RedisPresenceStore;
import dev.vask.realtime.protocol.OutboundFrames;
import dev.vask.realtime.protocol.PusherEvents;
import io.lettuce.core.ScriptOutputType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The nodes of the cluster. Every {@code heartbeatInterval} each node records itself in {@code <prefix>nodes}
 * (a sorted set scored by Redis's own clock, so node clocks do not matter) and learns which nodes are alive; a node
 * silent for {@code nodeTimeout} is dead, and the first live node to claim it removes what it left: its presence
 * members (with {@code member_removed} to every subscriber) and its {@link NodeState}s. Members of a killed node are
 * thus gone within {@code nodeTimeout + heartbeatInterval}.
 *
 * <p>After Redis comes back (or the node reconnects), the node writes its state again at once: its presence
 * memberships, its {@link NodeState}s, its heartbeat. On start it first removes what an earlier process with the
 * same node id left; on a clean stop it leaves the set.
 */
public final class NodeRegistry implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(NodeRegistry.class);

    /**
     * KEYS: nodes. ARGV: node, timeout ms. Records the heartbeat (Redis time, ms); returns {dead nodes, {live node,
     * last heartbeat, ...}, now}.
     */
    private static final RedisScript HEARTBEAT = new RedisScript("""
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            redis.call('ZADD', KEYS[1], now, ARGV[1])
            local limit = now - tonumber(ARGV[2])
            return {redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. limit),
                    redis.call('ZRANGEBYSCORE', KEYS[1], limit, '+inf', 'WITHSCORES'), tostring(now)}
            """, ScriptOutputType.MULTI);

    private final RedisConnections redis;
    private final NodeId node;
    private final ClusterProperties properties;
    private final RedisPresenceStore presence;
    private final Bus bus;
    private final List<NodeState> states;
    private final String nodesKey;
    private volatile Set<Long> live;
    private volatile boolean connected = true;
    private volatile long lastHeartbeatNanos;
    private final AtomicBoolean reasserting = new AtomicBoolean();
    private final AtomicBoolean reassertAgain = new AtomicBoolean();
    private final AtomicInteger reasserts = new AtomicInteger();
    private volatile Disposable ticking;
    /** What this node's sockets need from the bus (the hub's leases); null: the bus keeps its own list. */
    private volatile java.util.function.@org.jspecify.annotations.Nullable Supplier<java.util.Collection<dev.vask.realtime.presence.ChannelKey>> topicsToListen;
    /** False from a lost connection until this node's state is written again: no heartbeat says "alive" meanwhile. */
    private volatile boolean stateWritten = true;
    /** After an outage: the nodes known alive before it that have not heartbeated since this node came back. */
    private volatile Set<Long> awaited = Set.of();
    private volatile long reconnectedAtMillis;
    private volatile long reconnectedAtNanos;
    /** The last heartbeat's view: each live node's last heartbeat, and Redis's time then (ms). */
    private volatile Map<Long, Long> lastScores = Map.of();
    private volatile long lastNow;

    public NodeRegistry(RedisConnections redis, NodeId node, ClusterProperties properties, RedisPresenceStore presence, Bus bus,
            List<NodeState> states) {
        this.redis = redis;
        this.node = node;
        this.properties = properties;
        this.presence = presence;
        this.bus = bus;
        this.states = List.copyOf(states);
        this.nodesKey = redis.prefix() + "nodes";
        this.live = Set.of(node.value());
        redis.onReconnect(this::reassertSoon);
        redis.onDisconnect(this::lost);
        if (bus instanceof RedisBus redisBus) {
            redisBus.gate(this::settled);
        }
    }

    private void lost() {
        if (stateWritten) {
            // the nodes that were heartbeating just before: one silent for longer is dying anyway
            long recent = lastNow - properties.heartbeatInterval().toMillis() * 2 - 500;
            Set<Long> before = new java.util.HashSet<>();
            lastScores.forEach((id, at) -> {
                if (at >= recent && id != node.value()) {
                    before.add(id);
                }
            });
            awaited = Set.copyOf(before);
            reconnectedAtMillis = Long.MAX_VALUE;
        }
        stateWritten = false;
    }

    /**
     * Whether events may be published: this node wrote its state (and listens) again since its last lost
     * connection, and so did every node alive before it, unless a node timeout passed (such a node is dead).
     */
    public boolean settled() {
        if (!stateWritten) {
            return false;
        }
        if (awaited.isEmpty()) {
            return true;
        }
        if (System.nanoTime() - reconnectedAtNanos > properties.nodeTimeout().toNanos()) {
            log.atWarn().addKeyValue("nodes", awaited).log("Nodes did not come back within the node timeout; publishing again without them");
            awaited = Set.of();
            return true;
        }
        return false;
    }

    /** After a reconnection the bus subscribes again to these topics (the hub's), before anything else is written. */
    public void listenTo(java.util.function.Supplier<java.util.Collection<dev.vask.realtime.presence.ChannelKey>> topics) {
        this.topicsToListen = topics;
    }

    /** The nodes alive at the last heartbeat, this one included. */
    public Set<Long> liveNodes() {
        return live;
    }

    /** Whether this node's state is in Redis and its last heartbeat reached Redis within two intervals. */
    public boolean heartbeating() {
        return connected && stateWritten
                && System.nanoTime() - lastHeartbeatNanos < properties.heartbeatInterval().toNanos() * 2 + 1_000_000_000L;
    }

    /** How many times this node wrote its state again after a reconnection. */
    public int reasserts() {
        return reasserts.get();
    }

    @Override
    public synchronized void start() {
        if (ticking != null) {
            return;
        }
        // an earlier process with this id may have left members that no socket holds any more
        remove(node.value()).then(heartbeat()).block(Duration.ofSeconds(30));
        ticking = Flux.interval(properties.heartbeatInterval(), properties.heartbeatInterval())
                .onBackpressureDrop()
                .concatMap(tick -> stateWritten ? heartbeat().onErrorResume(error -> Mono.empty()) : Mono.empty(), 1)
                .subscribe();
    }

    @Override
    public synchronized void stop() {
        if (ticking != null) {
            ticking.dispose();
            ticking = null;
        }
        redis.commands().zrem(nodesKey, node.toString()).onErrorResume(error -> Mono.empty())
                .block(properties.commandTimeout().plusSeconds(1));
    }

    @Override
    public boolean isRunning() {
        return ticking != null;
    }

    /** Starts before the web server and realtime, stops after them (sockets drained, members gone). */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 4096;
    }

    private Mono<Void> heartbeat() {
        return HEARTBEAT.<List<Object>>run(redis.commands(), new String[] {nodesKey}, node.toString(),
                        Long.toString(properties.nodeTimeout().toMillis()))
                .doOnNext(reply -> {
                    connected = true;
                    lastHeartbeatNanos = System.nanoTime();
                    long now = Long.parseLong((String) reply.get(2));
                    if (reconnectedAtMillis == Long.MAX_VALUE) {
                        reconnectedAtMillis = now;
                        reconnectedAtNanos = System.nanoTime();
                    }
                    Map<Long, Long> scores = scores(reply.get(1));
                    live = Set.copyOf(scores.keySet());
                    lastScores = scores;
                    lastNow = now;
                    if (!awaited.isEmpty()) {
                        Set<Long> still = new java.util.HashSet<>(awaited);
                        scores.forEach((id, at) -> {
                            if (at >= reconnectedAtMillis) {
                                still.remove(id);
                            }
                        });
                        awaited = Set.copyOf(still);
                        if (still.isEmpty()) {
                            log.info("Every node listens again after the outage: events flow");
                        }
                        else {
                            log.atInfo().addKeyValue("nodes", still).log("Holding events until these nodes listen again");
                        }
                    }
                })
                .doOnError(error -> connected = false)
                .flatMapMany(reply -> Flux.fromIterable(ids(reply.get(0))))
                .filter(dead -> dead != node.value())
                .concatMap(this::claimAndRemove)
                .then();
    }

    /** One live node removes a dead one: whoever sets the claim first. */
    private Mono<Void> claimAndRemove(long dead) {
        String claim = redis.prefix() + "node:" + dead + ":removing";
        return redis.commands().set(claim, node.toString(), io.lettuce.core.SetArgs.Builder.nx().px(properties.nodeTimeout().toMillis()))
                .filter("OK"::equals)
                .flatMap(claimed -> {
                    log.atWarn().addKeyValue("node", dead).log("Node stopped heartbeating: removing its members and state");
                    return remove(dead).then(redis.commands().zrem(nodesKey, Long.toString(dead))).then();
                });
    }

    private Mono<Void> remove(long nodeId) {
        return announce(presence.removeSocketsOf(nodeId))
                .then(Flux.fromIterable(states).concatMap(state -> state.removeNode(nodeId)).then());
    }

    private Mono<Void> announce(Flux<RedisPresenceStore.Departure> departures) {
        return departures.concatMap(gone -> bus.publish(new ChannelEvent(gone.channel().app(), gone.channel().channel(),
                        PusherEvents.MEMBER_REMOVED, OutboundFrames.memberRemovedData(gone.userId()), null, null, gone.version()))
                .onErrorResume(error -> Mono.empty()))
                .then();
    }

    /** Coalesces the reconnections of both connections into one re-assertion at a time. */
    private void reassertSoon() {
        if (ticking == null) {
            return; // not started yet (the first connection), or stopped
        }
        if (!reasserting.compareAndSet(false, true)) {
            reassertAgain.set(true);
            return;
        }
        reassertAgain.set(false);
        Mono<Void> listen = bus instanceof RedisBus redisBus
                ? (topicsToListen == null ? redisBus.resubscribe() : redisBus.resubscribe(topicsToListen.get()))
                : Mono.empty();
        listen.then(announce(presence.reassert()))
                .then(Flux.fromIterable(states).concatMap(NodeState::reassert).then())
                .then(Mono.fromRunnable(() -> stateWritten = true))
                .then(heartbeat())
                .doOnSuccess(done -> {
                    reasserts.incrementAndGet();
                    log.info("Wrote this node's cluster state to Redis again");
                })
                .onErrorResume(error -> {
                    log.warn("Could not write this node's cluster state again yet: {}", error.getMessage());
                    stateWritten = false;
                    reassertAgain.set(true);
                    return Mono.delay(Duration.ofMillis(500)).then();
                })
                .doFinally(signal -> {
                    reasserting.set(false);
                    if (reassertAgain.get() && ticking != null) {
                        reassertSoon();
                    }
                })
                .subscribe();
    }

    @SuppressWarnings("unchecked")
    private static Map<Long, Long> scores(Object flat) {
        List<Object> values = (List<Object>) flat;
        Map<Long, Long> scores = new java.util.HashMap<>();
        for (int i = 0; i + 1 < values.size(); i += 2) {
            scores.put(Long.parseLong((String) values.get(i)), (long) Double.parseDouble((String) values.get(i + 1)));
        }
        return scores;
    }

    @SuppressWarnings("unchecked")
    private static Set<Long> ids(Object list) {
        return ((List<Object>) list).stream().map(id -> Long.parseLong((String) id)).collect(java.util.stream.Collectors.toUnmodifiableSet());
    }
}
