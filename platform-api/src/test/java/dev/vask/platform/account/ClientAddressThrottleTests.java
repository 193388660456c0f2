package dev.vask.platform.account;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import dev.vask.platform.PlatformTestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.netty.http.client.HttpClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Throttling by client address on the default configuration: the address is the socket's peer (no
 * forwarded header is trusted), and the tests connect from distinct loopback addresses (127.0.0.1,
 * 127.0.0.2, ...), as distinct machines would.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ClientAddressThrottleTests {

    private static final String PASSWORD = "correct horse battery staple";
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    @DynamicPropertySource
    static void defaultConfiguration(DynamicPropertyRegistry registry) {
        PlatformTestDatabase.register(registry);
    }

    @LocalServerPort
    int port;

    @Test
    void failuresFromOneAddressNeverLockTheRightPasswordOutFromAnother() {
        String email = signUp(from("127.0.0.1"));
        WebTestClient attacker = from("127.0.0.2");
        for (int i = 0; i < 5; i++) {
            signIn(attacker, email, "guess number " + i).expectStatus().isUnauthorized();
        }
        signIn(attacker, email, PASSWORD).expectStatus().isEqualTo(429)
                .expectHeader().exists(HttpHeaders.RETRY_AFTER);
        // a forwarded header does not move the attacker to another address: it is not trusted by default
        attacker.post().uri("/api/v1/session").contentType(MediaType.APPLICATION_JSON).header("X-Forwarded-For", "198.51.100.7")
                .bodyValue(Map.of("email", email, "password", PASSWORD)).exchange().expectStatus().isEqualTo(429);

        signIn(from("127.0.0.1"), email, PASSWORD).expectStatus().isOk()
                .expectBody().jsonPath("$.account.email").isEqualTo(email);
        signIn(from("127.0.0.3"), email, PASSWORD).expectStatus().isOk();
    }

    @Test
    void signUpsAreThrottledPerClientAddress() {
        WebTestClient busy = from("127.0.0.4");
        for (int i = 0; i < 10; i++) {
            signUp(busy);
        }
        busy.post().uri("/api/v1/accounts").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", uniqueEmail(), "password", PASSWORD))
                .exchange()
                .expectStatus().isEqualTo(429)
                .expectHeader().value(HttpHeaders.RETRY_AFTER, value -> assertThat(Integer.parseInt(value)).isBetween(3000, 3600))
                .expectBody().jsonPath("$.type").isEqualTo("https://vask.dev/problems/too-many-requests");
        signUp(from("127.0.0.5"));
    }

    private WebTestClient from(String localAddress) {
        HttpClient http = HttpClient.create().bindAddress(() -> new InetSocketAddress(localAddress, 0));
        return WebTestClient.bindToServer(new ReactorClientHttpConnector(http)).baseUrl("http://127.0.0.1:" + port).build();
    }

    private static String signUp(WebTestClient client) {
        String email = uniqueEmail();
        client.post().uri("/api/v1/accounts").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", email, "password", PASSWORD))
                .exchange().expectStatus().isCreated();
        return email;
    }

    private static WebTestClient.ResponseSpec signIn(WebTestClient client, String email, String password) {
        return client.post().uri("/api/v1/session").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", email, "password", password)).exchange();
    }

    private static String uniqueEmail() {
        return "throttled" + SEQUENCE.incrementAndGet() + "-" + System.nanoTime() + "@example.com";
    }
}
