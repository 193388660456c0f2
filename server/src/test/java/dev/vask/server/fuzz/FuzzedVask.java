package dev.vask.server.fuzz;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import com.pusher.client.PusherOptions;
import com.pusher.rest.Pusher;
import com.pusher.rest.data.Result;
import dev.vask.server.VaskApplication;
import dev.vask.testing.database.TestDatabase;
import dev.vask.testing.sdk.Subscriber;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole server, every role, started once for all the fuzz suites of this JVM, and the oracles they share:
 * no line logged at ERROR (nor a Netty leak report) since the suites began, and a normal client still served.
 */
final class FuzzedVask {

    static final String APP_ID = "7777";
    static final String KEY = "fuzz-app-key";
    static final String SECRET = "fuzz-app-secret-0123456789";
    static final String ADMIN_EMAIL = "admin@vask.local";
    static final String ADMIN_PASSWORD = "fuzz-admin-password-42";
    /** Raise with -Dvask.fuzz.scale=10 for a long run; the CI budget is scale 1. */
    static final double SCALE = Double.parseDouble(System.getProperty("vask.fuzz.scale", "1"));

    private static FuzzedVask instance;

    final TestDatabase database;
    final int port;
    private final ConfigurableApplicationContext context;
    private final List<String> errors = new CopyOnWriteArrayList<>();

    private FuzzedVask() {
        // the fuzz execution sets -Dio.netty.leakDetection.level=paranoid; a run picked with -Dtest may not have
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        database = TestDatabase.create();
        context = new SpringApplicationBuilder(VaskApplication.class).run("--server.port=0",
                "--vask.database-url=" + database.url(), "--vask.master-key=AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=",
                "--vask.bootstrap.app-id=" + APP_ID, "--vask.bootstrap.app-key=" + KEY, "--vask.bootstrap.app-secret=" + SECRET,
                "--vask.bootstrap.admin-email=" + ADMIN_EMAIL, "--vask.bootstrap.admin-password=" + ADMIN_PASSWORD,
                // the fuzzers send thousands of bad sign-ins and requests from one address on purpose
                "--vask.management.login.account-failures=1000000", "--vask.management.login.address-failures=1000000");
        port = ((WebServerApplicationContext) context).getWebServer().getPort();
        database.execute("update apps set client_events_enabled = true, watchlist_events_enabled = true where id = " + APP_ID);
        recordErrors();
    }

    static synchronized FuzzedVask get() {
        if (instance == null) {
            instance = new FuzzedVask();
            Runtime.getRuntime().addShutdownHook(new Thread(instance.context::close));
        }
        return instance;
    }

    static int tries(int atScaleOne) {
        return (int) Math.max(1, atScaleOne * SCALE);
    }

    /** Fails with the lines logged at ERROR (or Netty's leak reports) since the server started. */
    void assertNoErrorLogged() {
        assertThat(errors).as("lines logged at ERROR or leak reports").isEmpty();
    }

    /** Lets the leak detector report: leaked buffers show only once collected and a later allocation looks. */
    void assertNoLeak() throws InterruptedException {
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(100);
            for (int j = 0; j < 100; j++) {
                ByteBuf probe = PooledByteBufAllocator.DEFAULT.buffer(64);
                probe.release();
            }
        }
        assertNoErrorLogged();
    }

    /** The oracle of last resort: an official client subscribes and receives an event triggered through the API. */
    void assertStillServesANormalClient(String channel) throws Exception {
        try (Subscriber subscriber = new Subscriber(KEY, new PusherOptions().setHost("127.0.0.1").setWsPort(port).setUseTLS(false))) {
            subscriber.subscribe(channel, "after-fuzz");
            Pusher pusher = new Pusher(APP_ID, KEY, SECRET);
            pusher.setHost("127.0.0.1:" + port);
            pusher.setEncrypted(false);
            Result result = pusher.trigger(channel, "after-fuzz", Map.of("ok", true));
            assertThat(result.getStatus()).as(result.getMessage()).isEqualTo(Result.Status.SUCCESS);
            assertThat(subscriber.next().getData()).isEqualTo("{\"ok\":true}");
            pusher.close();
        }
    }

    private void recordErrors() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent event) {
                if (event.getLevel().isGreaterOrEqual(Level.ERROR) || event.getFormattedMessage().contains("LEAK:")) {
                    errors.add(event.getLevel() + " " + event.getLoggerName() + ": " + event.getFormattedMessage()
                            + (event.getThrowableProxy() == null ? "" : " " + event.getThrowableProxy().getClassName() + ": "
                                    + event.getThrowableProxy().getMessage()));
                }
            }
        };
        appender.setContext(root.getLoggerContext());
        appender.start();
        root.addAppender(appender);
    }

    Duration timeout() {
        return Duration.ofSeconds(15);
    }
}
