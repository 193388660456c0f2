package dev.vask.realtime.testing;

import java.util.ArrayList;
import java.util.List;

import dev.vask.realtime.app.InMemoryAppDirectory;
import dev.vask.testing.redis.TestRedis;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Realtime nodes in one JVM, each a Spring context with its own server port, sharing one Redis (under one key
 * prefix) and one in-memory app directory: a cluster for tests of realtime alone. The whole server, with separate
 * processes, is tested in the server module.
 */
public final class ClusterNodes implements AutoCloseable {

    public final InMemoryAppDirectory apps = new InMemoryAppDirectory();
    private final List<ConfigurableApplicationContext> nodes = new ArrayList<>();
    private final String prefix = TestRedis.newPrefix();

    public static ClusterNodes start(int count, String... properties) {
        ClusterNodes cluster = new ClusterNodes();
        for (int i = 0; i < count; i++) {
            cluster.add(properties);
        }
        return cluster;
    }

    public ConfigurableApplicationContext add(String... properties) {
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--vask.cluster.redis-url=" + TestRedis.shared().url(),
                "--vask.cluster.key-prefix=" + prefix, "--vask.cluster.heartbeat-interval=500ms", "--vask.cluster.node-timeout=3s",
                "--vask.cluster.unsubscribe-delay=300ms", "--vask.realtime.subscription-count-delay=100ms", "--vask.realtime.drain-period=200ms"));
        for (String property : properties) {
            args.add("--" + property);
        }
        ConfigurableApplicationContext node = new SpringApplicationBuilder(NodeApplication.class)
                .initializers(context -> context.getBeanFactory().registerSingleton("appDirectory", apps))
                .run(args.toArray(String[]::new));
        nodes.add(node);
        return node;
    }

    public int port(int node) {
        return ((WebServerApplicationContext) nodes.get(node)).getWebServer().getPort();
    }

    public <T> T bean(int node, Class<T> type) {
        return nodes.get(node).getBean(type);
    }

    public String prefix() {
        return prefix;
    }

    @Override
    public void close() {
        nodes.forEach(ConfigurableApplicationContext::close);
    }

    /** Realtime alone, on Redis; the app directory is the cluster's shared one. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    public static class NodeApplication {
    }
}
