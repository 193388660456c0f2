package dev.vask.realtime.capacity;

import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.http.client.ReactorResourceFactory;

import static org.assertj.core.api.Assertions.assertThat;

/** The server's event loops: as many as the CPUs this process may use, unless configured. */
class CapacityAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CapacityAutoConfiguration.class));

    @Test
    void theServerHasOneEventLoopPerProcessorThisProcessMayUse() {
        runner.run(context -> {
            ReactorResourceFactory resources = context.getBean(ReactorResourceFactory.class);
            assertThat(resources.isUseGlobalResources()).isFalse();
            assertThat(loops(resources)).isEqualTo(Runtime.getRuntime().availableProcessors());
            assertThat(context.getBean(CapacityProperties.class).eventLoopCount()).isEqualTo(Runtime.getRuntime().availableProcessors());
        });
    }

    @Test
    void aConfiguredNumberOfEventLoopsWins() {
        runner.withPropertyValues("vask.capacity.event-loops=3").run(context -> {
            assertThat(loops(context.getBean(ReactorResourceFactory.class))).isEqualTo(3);
        });
    }

    @Test
    void zeroEventLoopsIsRefusedAtStartup() {
        runner.withPropertyValues("vask.capacity.event-loops=0").run(context -> assertThat(context).hasFailed());
    }

    @Test
    void admissionControlSamplesWhileTheContextRuns() {
        runner.run(context -> {
            AdmissionControl admission = context.getBean(AdmissionControl.class);
            assertThat(admission.isRunning()).isTrue();
            // a process at rest in a test is nowhere near its limits
            org.awaitility.Awaitility.await().until(() -> admission.used(Resource.FILE_DESCRIPTORS) > 0);
            assertThat(admission.overload()).isNull();
        });
    }

    private static int loops(ReactorResourceFactory resources) {
        EventLoopGroup group = resources.getLoopResources().onServer(true);
        int count = 0;
        for (EventExecutor ignored : group) {
            count++;
        }
        return count;
    }
}
