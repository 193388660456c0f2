package dev.vask.realtime.config;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import dev.vask.realtime.RealtimeProperties;
import dev.vask.realtime.api.redis.RedisChannelQueries;
import dev.vask.realtime.cache.ChannelCache;
import dev.vask.realtime.cache.redis.RedisChannelCache;
import dev.vask.realtime.cluster.ClusterProperties;
import dev.vask.realtime.cluster.ConditionalOnClusterMode;
import dev.vask.realtime.cluster.NodeId;
import dev.vask.realtime.cluster.redis.NodeRegistry;
import dev.vask.realtime.cluster.redis.RedisConnections;
import dev.vask.realtime.cluster.redis.RedisNodeActivity;
import dev.vask.realtime.connection.Hub;
import dev.vask.realtime.fanout.Bus;
import dev.vask.realtime.fanout.redis.RedisBus;
import dev.vask.realtime.limits.redis.RedisConnectionQuota;
import dev.vask.realtime.presence.redis.RedisPresenceStore;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;

/**
 * Cluster mode ({@code VASK_REDIS_URL} set): every seam on Redis, so that any number of nodes behind one load
 * balancer behave as one server. Imported by {@link RealtimeAutoConfiguration}; not a @Configuration, so that no
 * component scan finds it.
 */
@ConditionalOnClusterMode
class RedisClusterConfiguration {

    /** How often a node writes the subscription counts that changed (a burst of subscribes is one write). */
    static final Duration COUNT_FLUSH_INTERVAL = Duration.ofMillis(50);

    @Bean(destroyMethod = "close")
    RedisConnections redisConnections(ClusterProperties properties) {
        return RedisConnections.connect(properties);
    }

    @Bean(destroyMethod = "close")
    RedisBus bus(RedisConnections redis, Hub hub, ObjectProvider<MeterRegistry> meters) {
        // the node registry resubscribes, as the first step of writing the node's state again after an outage
        return new RedisBus(redis, hub, meters.getIfUnique(SimpleMeterRegistry::new), false);
    }

    @Bean
    RedisPresenceStore presenceStore(RedisConnections redis, NodeId node) {
        return new RedisPresenceStore(redis, node);
    }

    @Bean
    RedisChannelCache channelCache(RedisConnections redis, RealtimeProperties properties) {
        return new RedisChannelCache(redis, properties.cacheTimeToLive(), Clock.systemUTC());
    }

    @Bean(destroyMethod = "close")
    RedisNodeActivity nodeActivity(RedisConnections redis, NodeId node, Hub hub, Bus bus) {
        return new RedisNodeActivity(redis, node, hub, bus, COUNT_FLUSH_INTERVAL);
    }

    @Bean
    RedisConnectionQuota connectionQuota(RedisConnections redis, NodeId node, Hub hub) {
        return new RedisConnectionQuota(redis, node, hub);
    }

    @Bean
    RedisChannelQueries channelQueries(RedisNodeActivity activity, RedisPresenceStore presence, ChannelCache cache) {
        return new RedisChannelQueries(activity, presence, cache);
    }

    @Bean
    NodeRegistry nodeRegistry(RedisConnections redis, NodeId node, ClusterProperties properties, RedisPresenceStore presence, Bus bus,
            RedisNodeActivity activity, RedisConnectionQuota quota, Hub hub) {
        NodeRegistry registry = new NodeRegistry(redis, node, properties, presence, bus, List.of(activity, quota));
        registry.listenTo(hub::busTopics); // the hub's leases are the list; the bus keeps none of its own
        return registry;
    }

    @Bean
    MeterBinder clusterMeters(NodeRegistry registry) {
        return meters -> Gauge.builder("vask.cluster.nodes", registry, r -> r.liveNodes().size())
                .description("Nodes alive at this node's last heartbeat").register(meters);
    }
}
