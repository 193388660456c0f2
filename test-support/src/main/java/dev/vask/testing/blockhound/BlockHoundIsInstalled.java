package dev.vask.testing.blockhound;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.netty.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.resources.LoopResources;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proves BlockHound is installed in a module's test JVM: without it every "no blocking" claim is void.
 * Each reactive module extends this once, so that the proof runs in that module's own JVM.
 */
public abstract class BlockHoundIsInstalled {

    @Test
    void sleepingOnANonBlockingThreadFailsWithBlockingOperationError() {
        Mono<Void> blocking = Mono.<Void>fromRunnable(BlockHoundIsInstalled::sleep).subscribeOn(Schedulers.parallel());
        StepVerifier.create(blocking).expectError(BlockingOperationError.class).verify(Duration.ofSeconds(5));
    }

    /** WebSocket handlers and HTTP handlers run on Reactor Netty's event loops: those are policed too. */
    @Test
    void sleepingOnANettyEventLoopFailsWithBlockingOperationError() throws Exception {
        LoopResources loops = LoopResources.create("blockhound-check", 1, true);
        try {
            Future<?> task = loops.onServer(true).next().submit(BlockHoundIsInstalled::sleep);
            task.await(5, TimeUnit.SECONDS);
            assertThat(task.cause()).isInstanceOf(BlockingOperationError.class);
        }
        finally {
            loops.dispose();
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(1);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
