package dev.vask.realtime.cluster.redis;

import reactor.core.publisher.Mono;

/**
 * A part of the cluster's state that each node writes for itself in Redis (its subscription counts, its
 * connections, its signed-in users). The {@link NodeRegistry} has it written again after Redis lost it or came
 * back, and removed for a node that died. Both may run more than once: they must be idempotent.
 */
public interface NodeState {

    /** Writes this node's part again from what the node holds in memory. */
    Mono<Void> reassert();

    /** Removes the part of a dead node (runs on one live node only). */
    Mono<Void> removeNode(long nodeId);
}
