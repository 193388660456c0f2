package dev.vask.realtime;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/** Proves BlockHound is installed in this module's test JVM: without it every "no blocking" claim is void. */
class BlockHoundSmokeTests {

    @Test
    void sleepingOnANonBlockingThreadFailsWithBlockingOperationError() {
        Mono<Void> blocking = Mono.<Void>fromRunnable(() -> {
            try {
                Thread.sleep(1);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }).subscribeOn(Schedulers.parallel());
        StepVerifier.create(blocking).expectError(BlockingOperationError.class).verify(Duration.ofSeconds(5));
    }

    /** The WebSocket handlers run on Reactor Netty's event loops: those are policed too. */
    @Test
    void sleepingOnANettyEventLoopFailsWithBlockingOperationError() throws Exception {
        reactor.netty.resources.LoopResources loops = reactor.netty.resources.LoopResources.create("blockhound-check", 1, true);
        try {
            io.netty.util.concurrent.Future<?> task = loops.onServer(true).next().submit(() -> {
                Thread.sleep(1);
                return null;
            });
            task.await(5, java.util.concurrent.TimeUnit.SECONDS);
            org.assertj.core.api.Assertions.assertThat(task.cause()).isInstanceOf(BlockingOperationError.class);
        }
        finally {
            loops.dispose();
        }
    }
}
