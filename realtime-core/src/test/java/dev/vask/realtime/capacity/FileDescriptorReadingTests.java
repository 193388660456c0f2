package dev.vask.realtime.capacity;

import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.sun.management.UnixOperatingSystemMXBean;
import org.junit.jupiter.api.Test;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Admission control follows the process's file descriptors without listing {@code /proc/self/fd} at every reading:
 * between two exact counts it adds the sockets the server accepted since, and it counts exactly again after a while.
 */
class FileDescriptorReadingTests {

    private static final UnixOperatingSystemMXBean OS = (UnixOperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    @Test
    void betweenExactCountsTheReadingAddsTheSocketsTheServerAccepted() throws Exception {
        ServerSocketTally tally = new ServerSocketTally();
        DisposableServer server = tally.apply(HttpServer.create().host("127.0.0.1").port(0)).handle((request, response) -> response.send())
                .bindNow();
        List<Socket> clients = new ArrayList<>();
        try {
            JvmResourceReadings readings = new JvmResourceReadings(tally);
            long limit = OS.getMaxFileDescriptorCount();
            double before = readings.used(Resource.FILE_DESCRIPTORS); // an exact count
            for (int i = 0; i < 50; i++) {
                clients.add(new Socket("127.0.0.1", server.port()));
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> tally.accepted() == 50);
            long followed = Math.round((readings.used(Resource.FILE_DESCRIPTORS) - before) * limit);
            // the 50 accepted sockets, not the 50 client ends this test holds in the same process: no listing happened
            assertThat(followed).isEqualTo(50);
        }
        finally {
            for (Socket client : clients) {
                client.close();
            }
            server.disposeNow();
        }
    }

    @Test
    void betweenTwoReadingsTheSocketsAcceptedSinceTheLatestAreFollowedForAdmission() throws Exception {
        ServerSocketTally tally = new ServerSocketTally();
        DisposableServer server = tally.apply(HttpServer.create().host("127.0.0.1").port(0)).handle((request, response) -> response.send())
                .bindNow();
        List<Socket> clients = new ArrayList<>();
        try {
            JvmResourceReadings readings = new JvmResourceReadings(tally);
            long limit = OS.getMaxFileDescriptorCount();
            readings.used(Resource.FILE_DESCRIPTORS);
            assertThat(readings.sinceLatestReading(Resource.FILE_DESCRIPTORS)).isZero();
            for (int i = 0; i < 30; i++) {
                clients.add(new Socket("127.0.0.1", server.port()));
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> tally.accepted() == 30);
            // counted as they are accepted, before any reading: what admission adds to the latest sample
            assertThat(Math.round(readings.sinceLatestReading(Resource.FILE_DESCRIPTORS) * limit)).isEqualTo(30);
            // a new reading takes them in: nothing is added twice
            readings.used(Resource.FILE_DESCRIPTORS);
            assertThat(readings.sinceLatestReading(Resource.FILE_DESCRIPTORS)).isZero();
        }
        finally {
            for (Socket client : clients) {
                client.close();
            }
            server.disposeNow();
        }
    }

    @Test
    void theExactCountSeesDescriptorsTheTallyCannot() throws Exception {
        ServerSocketTally tally = new ServerSocketTally();
        JvmResourceReadings readings = new JvmResourceReadings(tally, Duration.ZERO);
        double before = readings.used(Resource.FILE_DESCRIPTORS);
        List<java.nio.channels.Pipe> pipes = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                pipes.add(java.nio.channels.Pipe.open());
            }
            long seen = Math.round((readings.used(Resource.FILE_DESCRIPTORS) - before) * OS.getMaxFileDescriptorCount());
            assertThat(seen).isGreaterThanOrEqualTo(40); // two descriptors per pipe
        }
        finally {
            for (java.nio.channels.Pipe pipe : pipes) {
                pipe.source().close();
                pipe.sink().close();
            }
        }
    }
}
