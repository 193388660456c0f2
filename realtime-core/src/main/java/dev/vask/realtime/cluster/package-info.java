/**
 * What makes several Vask processes one server: the node's identity ({@link dev.vask.realtime.cluster.NodeId}),
 * the cluster settings ({@code vask.cluster.*}, {@code VASK_REDIS_URL}) and, in {@code redis}, the shared state.
 */
@NullMarked
package dev.vask.realtime.cluster;

import org.jspecify.annotations.NullMarked;
