package dev.vask.testing.blockhound;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * The blocking calls Vask's tests allow on non-blocking threads, one reason each.
 * Registered through {@code META-INF/services}; {@code blockhound-junit-platform} installs
 * BlockHound with it in every test JVM of the modules that depend on vask-test-support.
 */
public class VaskBlockHoundIntegration implements BlockHoundIntegration {

    @Override
    public void applyTo(BlockHound.Builder builder) {
        // Logback's console appender writes under a lock; logging is not on the per-message path
        // (hot paths count in metrics) and a test run must be able to log from event loops.
        builder.allowBlockingCallsInside("ch.qos.logback.core.OutputStreamAppender", "writeBytes");
        builder.allowBlockingCallsInside("ch.qos.logback.core.OutputStreamAppender", "subAppend");
        // SecureRandom may read /dev/urandom once while seeding; afterwards it never blocks.
        builder.allowBlockingCallsInside("java.security.SecureRandom", "nextBytes");
        builder.allowBlockingCallsInside("java.util.UUID", "randomUUID");
        // Lettuce (cluster mode's Redis client, reactive by design) guards each command's write with a lock held
        // for a few instructions; under contention it parks for microseconds, as Spring Data Redis reactive does.
        builder.allowBlockingCallsInside("io.lettuce.core.protocol.SharedLock", "incrementWriters");
        builder.allowBlockingCallsInside("io.lettuce.core.protocol.SharedLock", "decrementWriters");
        builder.allowBlockingCallsInside("io.lettuce.core.protocol.SharedLock", "doExclusive");
        // Jackson builds each deserializer once, under a lock, and caches it: requests that parse the same type at
        // that moment (the first concurrent requests after a start) wait microseconds for it, once
        builder.allowBlockingCallsInside("tools.jackson.databind.deser.DeserializerCache", "_createAndCacheValueDeserializer");
    }
}
