package dev.vask.testing.redis;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Redis Cluster of {@code masters} masters and no replicas, each a {@code redis-server} from the PATH
 * on a free port, joined with {@code redis-cli --cluster create}: what sharded pub/sub is tested on.
 */
public final class RedisClusterProcesses implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisClusterProcesses.class);

    private final List<RedisServerProcess> nodes;

    private RedisClusterProcesses(List<RedisServerProcess> nodes) {
        this.nodes = nodes;
    }

    public static RedisClusterProcesses start(int masters) {
        if (!RedisServerProcess.binaryAvailable()) {
            throw new IllegalStateException(TestRedis.MISSING);
        }
        List<RedisServerProcess> nodes = new ArrayList<>();
        for (int i = 0; i < masters; i++) {
            nodes.add(RedisServerProcess.launch("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                    "--cluster-node-timeout", "5000"));
        }
        List<String> command = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
        nodes.forEach(node -> command.add("127.0.0.1:" + node.port()));
        command.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
        try {
            Process create = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(create.getInputStream().readAllBytes());
            if (!create.waitFor(60, TimeUnit.SECONDS) || create.exitValue() != 0) {
                throw new IllegalStateException("redis-cli --cluster create failed:\n" + output);
            }
        }
        catch (IOException e) {
            throw new IllegalStateException("The Redis Cluster test needs redis-cli (Debian: apt-get install -y redis-server)", e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (RedisServerProcess node : nodes) {
            while (!node.command("CLUSTER INFO").contains("cluster_state:ok")) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("The Redis Cluster did not reach cluster_state:ok");
                }
                try {
                    Thread.sleep(50);
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        log.info("Test Redis Cluster: {} masters from redis-server on the PATH, ports {}", masters,
                nodes.stream().map(RedisServerProcess::port).toList());
        return new RedisClusterProcesses(nodes);
    }

    public List<RedisServerProcess> nodes() {
        return nodes;
    }

    /** The seed list, as operators give Vask in {@code VASK_REDIS_URL} with {@code VASK_REDIS_CLUSTER=true}. */
    public String seedUrls() {
        return String.join(",", nodes.stream().map(RedisServerProcess::url).toList());
    }

    @Override
    public void close() {
        nodes.forEach(RedisServerProcess::close);
    }
}
