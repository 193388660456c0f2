package dev.vask.realtime.cluster.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.reactive.RedisClusterReactiveCommands;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A Lua script run with {@code EVALSHA}, sent whole only when Redis does not know it yet (first use, or
 * after a restart flushed it). Every key of one script shares a hash tag, so that it runs on one shard
 * of a Redis Cluster.
 */
public final class RedisScript {

    private final String source;
    private final String sha;
    private final ScriptOutputType output;

    public RedisScript(String source, ScriptOutputType output) {
        this.source = source;
        this.output = output;
        try {
            this.sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8)));
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public <T> Mono<T> run(RedisClusterReactiveCommands<String, String> commands, String[] keys, String... args) {
        Flux<T> evalsha = commands.evalsha(sha, output, keys, args);
        return evalsha.next().onErrorResume(RedisNoScriptException.class, missing -> commands.<T>eval(source, output, keys, args).next());
    }
}
