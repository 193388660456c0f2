package dev.vask.realtime.config;

import dev.vask.realtime.RealtimeProperties;
import dev.vask.realtime.api.ChannelQueries;
import dev.vask.realtime.api.LocalChannelQueries;
import dev.vask.realtime.api.RealtimeEvents;
import dev.vask.realtime.api.UserConnections;
import dev.vask.realtime.app.AppDirectory;
import dev.vask.realtime.cache.ChannelCache;
import dev.vask.realtime.cache.LocalChannelCache;
import dev.vask.realtime.capacity.AdmissionControl;
import dev.vask.realtime.capacity.CapacityAutoConfiguration;
import dev.vask.realtime.cluster.ClusterProperties;
import dev.vask.realtime.cluster.ConditionalOnClusterMode;
import dev.vask.realtime.cluster.NodeId;
import dev.vask.realtime.cluster.redis.NodeRegistry;
import dev.vask.realtime.cluster.redis.RedisConnections;
import dev.vask.realtime.connection.EventLoopBacklog;
import dev.vask.realtime.connection.Hub;
import dev.vask.realtime.connection.NodeActivity;
import dev.vask.realtime.connection.RealtimeNode;
import dev.vask.realtime.connection.RealtimeWebSockets;
import dev.vask.realtime.connection.SocketIds;
import dev.vask.realtime.fanout.Bus;
import dev.vask.realtime.fanout.LocalBus;
import dev.vask.realtime.limits.ConnectionQuota;
import dev.vask.realtime.metrics.AppMetricsProperties;
import dev.vask.realtime.metrics.AppTrafficMeters;
import dev.vask.realtime.limits.LocalConnectionQuota;
import dev.vask.realtime.presence.LocalPresenceStore;
import dev.vask.realtime.presence.PresenceStore;
import dev.vask.realtime.usage.UsageRecorder;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

/**
 * Realtime's wiring, as a Spring Boot auto-configuration (listed in
 * {@code META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports}, so it is never
 * component-scanned and runs after the application's own beans): the hub, the API facade and, with the
 * {@code realtime} role, the WebSocket endpoint on the server's port.
 *
 * <p>The seams that make one node and many interchangeable ({@link Bus}, {@link PresenceStore},
 * {@link ChannelCache}, {@link ChannelQueries}, {@link ConnectionQuota}) come from {@link SingleNode} (in memory, the
 * default) or, when {@code VASK_REDIS_URL} is set, from {@link RedisClusterConfiguration}; a bean the application
 * declares itself wins.
 */
@AutoConfiguration(after = CapacityAutoConfiguration.class)
@EnableConfigurationProperties({RealtimeProperties.class, ClusterProperties.class, AppMetricsProperties.class})
@Import({RealtimeAutoConfiguration.SingleNode.class, RedisClusterConfiguration.class})
public class RealtimeAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    NodeId nodeId(RealtimeProperties properties) {
        return NodeId.of(properties.nodeId());
    }

    @Bean
    SocketIds socketIds(NodeId nodeId) {
        return new SocketIds(nodeId);
    }

    /** Each app's figures, as Prometheus series for the busiest apps and {@code app="other"} (docs/ops/metrics.md). */
    @Bean
    AppTrafficMeters appTrafficMeters(AppMetricsProperties properties) {
        // ranking registers and removes meters, whose registries take locks: off the parallel (non-blocking) threads
        return new AppTrafficMeters(properties, Schedulers.boundedElastic());
    }

    @Bean
    Hub hub(RealtimeProperties properties, ClusterProperties cluster, SocketIds socketIds, ObjectProvider<UsageRecorder> usage,
            AppTrafficMeters traffic) {
        return new Hub(properties, socketIds, usage.getIfUnique(() -> UsageRecorder.NONE), traffic, cluster.unsubscribeDelay(),
                Schedulers.parallel());
    }

    @Bean
    RealtimeNode realtimeNode(RealtimeProperties properties, Hub hub, Bus bus, PresenceStore presence, ChannelCache cache,
            ConnectionQuota quota, ObjectProvider<NodeActivity> clusterActivity, AppDirectory directory, AdmissionControl admission) {
        hub.attach(bus);
        clusterActivity.ifAvailable(hub::attach);
        return new RealtimeNode(properties, hub, bus, presence, cache, quota, directory, admission, JsonMapper.builder().build());
    }

    @Bean
    @ConditionalOnRole(Role.REALTIME)
    RealtimeWebSockets realtimeWebSockets(RealtimeNode node) {
        return new RealtimeWebSockets(node);
    }

    @Bean
    RealtimeLifecycle realtimeLifecycle(Hub hub, AppDirectory directory, RealtimeProperties properties, ApplicationEventPublisher events) {
        return new RealtimeLifecycle(hub, directory, properties, events);
    }

    @Bean
    RealtimeEvents realtimeEvents(Bus bus, ChannelCache cache) {
        return new RealtimeEvents(bus, cache);
    }

    /** This node's sockets, apps and channels, for /actuator/prometheus (per-app figures are usage data). */
    @Bean
    MeterBinder realtimeMeters(Hub hub) {
        return registry -> {
            Gauge.builder("vask.realtime.connections", hub, Hub::connectionCount).description("Open WebSocket connections on this node").register(registry);
            Gauge.builder("vask.realtime.apps", hub, h -> h.apps().size()).description("Apps with open connections on this node").register(registry);
            Gauge.builder("vask.realtime.channels", hub, Hub::channelCount).description("Channels with subscribers on this node").register(registry);
            Gauge.builder("vask.realtime.bus.topics", hub, Hub::busTopicCount)
                    .description("Channels and users this node listens to on the bus").register(registry);
        };
    }

    /** {@code cluster} health, part of the readiness group: DOWN while a clustered node cannot reach Redis. */
    @Bean("clusterHealthIndicator")
    ClusterHealthIndicator clusterHealthIndicator(ObjectProvider<RedisConnections> redis, ObjectProvider<NodeRegistry> registry,
            org.springframework.core.env.Environment environment) {
        String roles = environment.getProperty(OnRoleCondition.PROPERTY, "");
        boolean needsRedis = OnRoleCondition.runs(roles, Role.REALTIME) || OnRoleCondition.runs(roles, Role.API);
        return new ClusterHealthIndicator(redis.getIfAvailable(), registry.getIfAvailable(), needsRedis);
    }

    @Bean
    @ConditionalOnMissingBean
    UserConnections userConnections(Bus bus) {
        return new UserConnections(bus);
    }

    /** The event loops' task queues, for /actuator/prometheus and the soak test. */
    @Bean
    EventLoopBacklog eventLoopBacklog(Hub hub) {
        return new EventLoopBacklog(hub);
    }

    /** The in-memory seams: exact for one node. Not a @Configuration, so that no component scan finds it. */
    @ConditionalOnClusterMode(clustered = false)
    static class SingleNode {

        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean(Bus.class)
        LocalBus bus(Hub hub) {
            return new LocalBus(hub);
        }

        @Bean
        @ConditionalOnMissingBean(PresenceStore.class)
        LocalPresenceStore presenceStore() {
            return new LocalPresenceStore();
        }

        @Bean(initMethod = "start", destroyMethod = "close")
        @ConditionalOnMissingBean(ChannelCache.class)
        LocalChannelCache channelCache(RealtimeProperties properties) {
            return new LocalChannelCache(properties.cacheTimeToLive(), java.time.Clock.systemUTC());
        }

        @Bean
        @ConditionalOnMissingBean(ChannelQueries.class)
        LocalChannelQueries channelQueries(Hub hub, PresenceStore presence, ChannelCache cache) {
            return new LocalChannelQueries(hub, presence, cache);
        }

        @Bean
        @ConditionalOnMissingBean(ConnectionQuota.class)
        LocalConnectionQuota connectionQuota() {
            return new LocalConnectionQuota();
        }
    }
}
