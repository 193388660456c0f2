package dev.vask.realtime.config;

import java.time.Clock;

import dev.vask.realtime.RealtimeProperties;
import dev.vask.realtime.api.ChannelQueries;
import dev.vask.realtime.api.LocalChannelQueries;
import dev.vask.realtime.api.RealtimeEvents;
import dev.vask.realtime.api.UserConnections;
import dev.vask.realtime.app.AppDirectory;
import dev.vask.realtime.cache.ChannelCache;
import dev.vask.realtime.cache.LocalChannelCache;
import dev.vask.realtime.connection.EventLoopBacklog;
import dev.vask.realtime.connection.Hub;
import dev.vask.realtime.connection.RealtimeNode;
import dev.vask.realtime.connection.RealtimeWebSockets;
import dev.vask.realtime.connection.SocketIds;
import dev.vask.realtime.fanout.Bus;
import dev.vask.realtime.fanout.LocalBus;
import dev.vask.realtime.presence.LocalPresenceStore;
import dev.vask.realtime.presence.PresenceStore;
import dev.vask.realtime.usage.UsageRecorder;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/**
 * Realtime on one node: the hub, the in-memory seams (bus, presence store, channel cache; a clustered
 * implementation replaces each by declaring its own bean), the API facade and, with the
 * {@code realtime} role, the WebSocket endpoint on the server's port.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RealtimeProperties.class)
public class RealtimeConfiguration {

    @Bean
    SocketIds socketIds(RealtimeProperties properties) {
        return new SocketIds(properties.nodeId());
    }

    @Bean
    Hub hub(RealtimeProperties properties, SocketIds socketIds, ObjectProvider<UsageRecorder> usage) {
        return new Hub(properties, socketIds, usage.getIfUnique(() -> UsageRecorder.NONE));
    }

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

    @Bean
    @ConditionalOnMissingBean(ChannelCache.class)
    LocalChannelCache channelCache(RealtimeProperties properties) {
        return new LocalChannelCache(properties.cacheTimeToLive(), Clock.systemUTC());
    }

    @Bean
    RealtimeNode realtimeNode(RealtimeProperties properties, Hub hub, Bus bus, PresenceStore presence, ChannelCache cache,
            AppDirectory directory) {
        return new RealtimeNode(properties, hub, bus, presence, cache, directory, JsonMapper.builder().build());
    }

    @Bean
    @ConditionalOnRole(Role.REALTIME)
    RealtimeWebSockets realtimeWebSockets(RealtimeNode node) {
        return new RealtimeWebSockets(node);
    }

    @Bean
    RealtimeLifecycle realtimeLifecycle(Hub hub, AppDirectory directory, ChannelCache cache, RealtimeProperties properties,
            ApplicationEventPublisher events) {
        return new RealtimeLifecycle(hub, directory, cache, properties, events);
    }

    @Bean
    RealtimeEvents realtimeEvents(Bus bus, ChannelCache cache) {
        return new RealtimeEvents(bus, cache);
    }

    @Bean
    @ConditionalOnMissingBean(ChannelQueries.class)
    LocalChannelQueries channelQueries(Hub hub, PresenceStore presence, ChannelCache cache) {
        return new LocalChannelQueries(hub, presence, cache);
    }

    /** This node's sockets, apps and channels, for /actuator/prometheus (per-app figures are usage data). */
    @Bean
    MeterBinder realtimeMeters(Hub hub) {
        return registry -> {
            Gauge.builder("vask.realtime.connections", hub, Hub::connectionCount).description("Open WebSocket connections on this node").register(registry);
            Gauge.builder("vask.realtime.apps", hub, h -> h.apps().size()).description("Apps with open connections on this node").register(registry);
            Gauge.builder("vask.realtime.channels", hub, Hub::channelCount).description("Channels with subscribers on this node").register(registry);
        };
    }

    @Bean
    UserConnections userConnections(Hub hub) {
        return new UserConnections(hub);
    }

    /** The event loops' task queues, for /actuator/prometheus and the soak test. */
    @Bean
    EventLoopBacklog eventLoopBacklog(Hub hub) {
        return new EventLoopBacklog(hub);
    }
}
