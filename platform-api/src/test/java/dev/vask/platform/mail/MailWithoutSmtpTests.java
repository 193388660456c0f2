package dev.vask.platform.mail;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.vask.platform.PlatformTestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** With no SMTP server configured (the embedded default), the links go to the server log at INFO and work from there. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@ExtendWith(OutputCaptureExtension.class)
class MailWithoutSmtpTests {

    private static final Pattern LINK = Pattern.compile("Link: (http://localhost:(\\d+)/dashboard/verify#token=([A-Za-z0-9_-]+))");

    @DynamicPropertySource
    static void noSmtpServer(DynamicPropertyRegistry registry) {
        PlatformTestDatabase.register(registry);
    }

    @Autowired
    WebTestClient client;

    @Autowired
    Mailer mailer;

    @LocalServerPort
    int port;

    @Test
    void theVerificationLinkIsLoggedAtInfoAndVerifiesTheAddress(CapturedOutput output) {
        assertThat(mailer).isInstanceOf(LogMailer.class);
        String email = "logged-" + System.nanoTime() + "@example.com";
        client.post().uri("/api/v1/accounts").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", email, "password", "correct horse battery staple")).exchange().expectStatus().isCreated();
        await().until(() -> LINK.matcher(output.getOut()).find());
        Matcher link = LINK.matcher(output.getOut());
        assertThat(link.find()).isTrue();
        assertThat(output.getOut()).contains("INFO").contains("To: " + email).contains("Subject: Verify your email address for Vask");
        assertThat(Integer.parseInt(link.group(2))).isEqualTo(port);
        client.post().uri("/api/v1/email-verification").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("token", link.group(3))).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.email").isEqualTo(email);
    }

    @Test
    void aNewVerificationLinkIsMailedAtMostOnceAMinute() {
        String email = "again-" + System.nanoTime() + "@example.com";
        client.post().uri("/api/v1/accounts").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", email, "password", "correct horse battery staple")).exchange().expectStatus().isCreated();
        var signedIn = client.post().uri("/api/v1/session").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", email, "password", "correct horse battery staple"))
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult();
        String cookie = signedIn.getResponseCookies().getFirst("VASK_SESSION").getValue();
        String csrf = (String) signedIn.getResponseBody().get("csrfToken");
        client.post().uri("/api/v1/account/verification-mail").cookie("VASK_SESSION", cookie).cookie("XSRF-TOKEN", csrf)
                .header("X-XSRF-TOKEN", csrf).exchange()
                .expectStatus().isEqualTo(429).expectHeader().exists("Retry-After");
    }
}
