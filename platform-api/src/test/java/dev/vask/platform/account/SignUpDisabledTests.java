package dev.vask.platform.account;

import java.util.Map;

import dev.vask.platform.PlatformTestDatabase;
import dev.vask.platform.TestAccount;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/** A private Vask ({@code vask.management.signup-enabled=false}): nobody signs up, the first-start admin still signs in. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "vask.management.signup-enabled=false")
@AutoConfigureWebTestClient
class SignUpDisabledTests {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        PlatformTestDatabase.register(registry);
    }

    @Autowired
    WebTestClient client;

    @Test
    void signUpIsRefusedAndTheFirstStartAdminSignsInAndSeesTheDemoApp() {
        client.post().uri("/api/v1/accounts").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", "someone@example.com", "password", TestAccount.PASSWORD))
                .exchange()
                .expectStatus().isForbidden()
                .expectBody().jsonPath("$.type").isEqualTo("https://vask.dev/problems/signup-disabled");
        TestAccount.Session session = TestAccount.signIn(client, "admin@vask.local", "admin-password-1", "192.0.2.1");
        client.get().uri("/api/v1/apps").cookie("VASK_SESSION", session.cookie()).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$[0].id").isEqualTo(Long.parseLong(PlatformTestDatabase.APP_ID))
                .jsonPath("$[0].name").isEqualTo("Demo app");
        client.get().uri("/api/v1/apps/{app}/keys", PlatformTestDatabase.APP_ID).cookie("VASK_SESSION", session.cookie()).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$[0].key").isEqualTo(PlatformTestDatabase.APP_KEY)
                .jsonPath("$[0].secret").isEqualTo(PlatformTestDatabase.APP_SECRET);
    }
}
