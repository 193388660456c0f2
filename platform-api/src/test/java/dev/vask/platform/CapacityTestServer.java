package dev.vask.platform;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import com.pusher.rest.Pusher;
import dev.vask.platform.pusherapi.PusherApiTestApps;
import dev.vask.platform.secret.SecretCipher;
import dev.vask.realtime.capacity.AdmissionControl;
import dev.vask.realtime.capacity.CapacityProperties;
import dev.vask.realtime.capacity.ResourceReadings;
import dev.vask.testing.database.TestDatabase;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A running Vask whose admission control reads figures the test sets ({@link #readings}), with Prometheus on the
 * main port behind a token and per-app series for the single busiest app, ranked when a test says so. The tests of
 * overload refusals and of per-app metrics share it (one context).
 */
@SpringBootTest(classes = PlatformTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.endpoints.web.exposure.include=health,prometheus", "vask.metrics.token=" + CapacityTestServer.TOKEN,
        "vask.metrics.apps.top=1", "vask.metrics.apps.rank-interval=1h"})
@Import(CapacityTestServer.Readings.class)
public abstract class CapacityTestServer {

    public static final String TOKEN = "capacity-scrape-token-0f9e8d7c";

    /** Resource figures set by the test (0 to 1 by resource; absent: 0). */
    public static final class SetReadings implements ResourceReadings {

        private final Map<dev.vask.realtime.capacity.Resource, Double> used = new java.util.concurrent.ConcurrentHashMap<>();

        public void set(dev.vask.realtime.capacity.Resource resource, double share) {
            used.put(resource, share);
        }

        public void clear() {
            used.clear();
        }

        @Override
        public double used(dev.vask.realtime.capacity.Resource resource) {
            return used.getOrDefault(resource, 0.0);
        }
    }

    @TestConfiguration
    static class Readings {

        @Bean
        SetReadings setReadings() {
            return new SetReadings();
        }

        @Bean
        AdmissionControl admissionControl(CapacityProperties properties, SetReadings readings) {
            return new AdmissionControl(properties, readings);
        }
    }

    protected static TestDatabase database;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        database = PlatformTestDatabase.register(registry);
    }

    @LocalServerPort
    protected int port;

    @Autowired
    protected SecretCipher cipher;

    @Autowired
    protected SetReadings readings;

    @Autowired
    protected AdmissionControl admission;

    protected final HttpClient http = HttpClient.newHttpClient();

    protected PusherApiTestApps.TestApp newApp() {
        return PusherApiTestApps.create(database, cipher, "");
    }

    protected Pusher sdk(PusherApiTestApps.TestApp app) {
        Pusher pusher = new Pusher(Long.toString(app.id()), app.key(), app.secret());
        pusher.setHost("127.0.0.1:" + port);
        pusher.setEncrypted(false);
        return pusher;
    }

    /** The Prometheus scrape, as Prometheus reads it. */
    protected String scrape() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/prometheus"))
                .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new AssertionError("scrape answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    /** The value of the one series of that name carrying these labels ({@code "app", "42", ...}), or 0 when there is none. */
    protected static double value(String scrape, String name, String... labels) {
        java.util.List<Double> found = new java.util.ArrayList<>();
        for (String line : scrape.split("\n")) {
            if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) {
                continue;
            }
            String labelText = line.contains("{") ? line.substring(line.indexOf('{') + 1, line.lastIndexOf('}')) : "";
            boolean all = true;
            for (int i = 0; i < labels.length; i += 2) {
                all &= (labelText.startsWith(labels[i] + "=\"" + labels[i + 1] + "\"")
                        || labelText.contains("," + labels[i] + "=\"" + labels[i + 1] + "\""));
            }
            if (all) {
                found.add(Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1).trim()));
            }
        }
        if (found.size() > 1) {
            throw new AssertionError(found.size() + " series " + name + " with " + java.util.Arrays.toString(labels));
        }
        return found.isEmpty() ? 0 : found.getFirst();
    }
}
