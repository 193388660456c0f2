package dev.vask.platform.pusherapi;

import java.time.Duration;
import java.util.Map;

import dev.vask.platform.PlatformTestApplication;
import dev.vask.platform.PlatformTestDatabase;
import dev.vask.testing.database.TestDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Pusher HTTP API is served ahead of Spring Security's filter chain and WebFlux's dispatcher
 * ({@code PusherApiFastPath}); what that road did for these routes must still happen: the firewall's refusals,
 * the security headers, the route in the request metrics, and the ordinary road for anything else under /apps.
 */
@SpringBootTest(classes = PlatformTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PusherApiFastPathTests {

    private static final String EVENT = "{\"name\":\"e\",\"channel\":\"c\",\"data\":\"{}\"}";
    static TestDatabase database;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        database = PlatformTestDatabase.register(registry);
    }

    @LocalServerPort
    int port;

    @Autowired
    MeterRegistry meters;

    private SignedRequests.Response post(String path, String body) {
        return new SignedRequests(port).send("POST", path, Map.of(), body, PlatformTestDatabase.APP_KEY, PlatformTestDatabase.APP_SECRET);
    }

    @Test
    void aPublishCarriesTheSecurityHeadersOfThePusherApiChain() {
        SignedRequests.Response response = post("/apps/4242/events", EVENT);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(response.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(response.headers().firstValue("Cache-Control")).hasValueSatisfying(value -> assertThat(value).contains("no-store"));
    }

    @Test
    void aRefusalCarriesThemToo() {
        SignedRequests.Response response = new SignedRequests(port).raw("POST", "/apps/4242/events", EVENT, "application/json");
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    }

    @Test
    void aPublishIsTimedUnderItsRouteInTheRequestMetrics() {
        double before = count("/apps/{app}/events");
        assertThat(post("/apps/4242/events", EVENT).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(count("/apps/{app}/events")).isEqualTo(before + 1));
        double batches = count("/apps/{app}/batch_events");
        assertThat(post("/apps/4242/batch_events", "{\"batch\":[" + EVENT + "]}").status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(count("/apps/{app}/batch_events")).isEqualTo(batches + 1));
    }

    @Test
    void aPathTheFirewallRefusesGetsTheApisJsonError() {
        // an encoded slash: Spring Security's strict firewall refuses it, on this road as on the ordinary one
        SignedRequests.Response response = new SignedRequests(port).raw("POST", "/apps/42%2F42/events", EVENT, "application/json");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body()).startsWith("{\"error\":\"The request path or headers contain characters Vask does not accept");
    }

    @Test
    void anythingElseUnderAppsTakesTheOrdinaryRoad() {
        // no route of the Pusher API matches: WebFlux answers as it always did
        SignedRequests.Response response = new SignedRequests(port).raw("DELETE", "/apps/4242/events", "", "application/json");
        assertThat(response.status()).isEqualTo(404);
    }

    private double count(String uri) {
        Timer timer = meters.find("http.server.requests").tag("uri", uri).timer();
        return timer == null ? 0 : timer.count();
    }
}
