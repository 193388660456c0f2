package dev.vask.realtime.config;

import dev.vask.realtime.api.ChannelQueries;
import dev.vask.realtime.api.LocalChannelQueries;
import dev.vask.realtime.api.redis.RedisChannelQueries;
import dev.vask.realtime.cache.redis.RedisChannelCache;
import dev.vask.realtime.cluster.redis.NodeRegistry;
import dev.vask.realtime.cluster.redis.RedisConnections;
import dev.vask.realtime.fanout.redis.RedisBus;
import dev.vask.realtime.limits.ConnectionQuota;
import dev.vask.realtime.limits.LocalConnectionQuota;
import dev.vask.realtime.limits.redis.RedisConnectionQuota;
import dev.vask.realtime.presence.redis.RedisPresenceStore;
import dev.vask.testing.redis.TestRedis;
import dev.vask.realtime.app.AppDirectory;
import dev.vask.realtime.app.AppId;
import dev.vask.realtime.app.InMemoryAppDirectory;
import dev.vask.realtime.cache.ChannelCache;
import dev.vask.realtime.cache.LocalChannelCache;
import dev.vask.realtime.cluster.NodeId;
import dev.vask.realtime.connection.SocketIds;
import dev.vask.realtime.fanout.Bus;
import dev.vask.realtime.fanout.ChannelEvent;
import dev.vask.realtime.fanout.LocalBus;
import dev.vask.realtime.presence.LocalPresenceStore;
import dev.vask.realtime.presence.PresenceStore;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

/** Which seams realtime's auto-configuration chooses, and that the application's own beans win. */
class RealtimeAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(dev.vask.realtime.capacity.CapacityAutoConfiguration.class, RealtimeAutoConfiguration.class))
            .withBean(AppDirectory.class, InMemoryAppDirectory::new);

    @Test
    void withoutARedisUrlEverySeamIsTheInMemoryOne() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(Bus.class).getBean(Bus.class).isInstanceOf(LocalBus.class);
            assertThat(context).getBean(PresenceStore.class).isInstanceOf(LocalPresenceStore.class);
            assertThat(context).getBean(ChannelCache.class).isInstanceOf(LocalChannelCache.class);
            assertThat(context).getBean(ChannelQueries.class).isInstanceOf(LocalChannelQueries.class);
        });
    }

    @Test
    void withoutARedisUrlTheConnectionQuotaIsTheHubsAndNothingTouchesRedis() {
        runner.run(context -> {
            assertThat(context).getBean(ConnectionQuota.class).isInstanceOf(LocalConnectionQuota.class);
            assertThat(context).doesNotHaveBean(RedisConnections.class);
            assertThat(context).doesNotHaveBean(NodeRegistry.class);
        });
    }

    @Test
    void withARedisUrlEverySeamIsTheRedisOne() {
        runner.withPropertyValues("vask.cluster.redis-url=" + TestRedis.shared().url(), "vask.cluster.key-prefix=" + TestRedis.newPrefix())
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).hasSingleBean(Bus.class).getBean(Bus.class).isInstanceOf(RedisBus.class);
                    assertThat(context).getBean(PresenceStore.class).isInstanceOf(RedisPresenceStore.class);
                    assertThat(context).getBean(ChannelCache.class).isInstanceOf(RedisChannelCache.class);
                    assertThat(context).getBean(ChannelQueries.class).isInstanceOf(RedisChannelQueries.class);
                    assertThat(context).getBean(ConnectionQuota.class).isInstanceOf(RedisConnectionQuota.class);
                    assertThat(context).hasSingleBean(NodeRegistry.class);
                    assertThat(context).doesNotHaveBean(LocalBus.class);
                });
    }

    @Test
    void aRedisThatDoesNotAnswerStopsTheStartWithWhereItWasTried() {
        runner.withPropertyValues("vask.cluster.redis-url=redis://127.0.0.1:1", "vask.cluster.command-timeout=500ms").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isNotNull();
            assertThat(context.getStartupFailure()).hasStackTraceContaining("Could not connect to Redis at redis://127.0.0.1:1");
        });
    }

    @Test
    void anEmptyRedisUrlIsSingleNodeToo() {
        runner.withPropertyValues("vask.cluster.redis-url=").run(context ->
                assertThat(context).getBean(Bus.class).isInstanceOf(LocalBus.class));
    }

    @Test
    void oneNodeIdServesSocketIdsAndEveryOtherUse() {
        runner.withPropertyValues("vask.realtime.node-id=4242").run(context -> {
            assertThat(context).hasSingleBean(NodeId.class);
            assertThat(context.getBean(NodeId.class).value()).isEqualTo(4242);
            assertThat(context.getBean(SocketIds.class).nodeId()).isEqualTo(4242);
        });
    }

    @Test
    void withoutAConfiguredNodeIdEachProcessPicksOneAtRandomInRange() {
        runner.run(context -> assertThat(context.getBean(NodeId.class).value()).isBetween(1L, 999_999_999L));
    }

    @Test
    void aBusTheApplicationDeclaresReplacesTheLocalOne() {
        runner.withUserConfiguration(OwnBus.class).run(context -> {
            assertThat(context).hasSingleBean(Bus.class);
            assertThat(context.getBean(Bus.class)).isSameAs(OwnBus.BUS);
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnBus {

        static final Bus BUS = new Bus() {
            @Override public Mono<Void> publish(ChannelEvent event) { return Mono.empty(); }
            @Override public Mono<Void> subscribed(AppId app, String channel) { return Mono.empty(); }
            @Override public void unsubscribed(AppId app, String channel) { }
            @Override public void close() { }
        };

        @Bean
        Bus bus() {
            return BUS;
        }
    }
}
