package dev.vask.platform.web;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import dev.vask.platform.ManagementApiTestSupport;
import dev.vask.platform.TestAccount;
import dev.vask.platform.account.AccountRequests;
import org.junit.jupiter.api.Test;
import org.springframework.core.ResolvableType;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.MediaType;
import reactor.core.publisher.Flux;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** Every refusal of the management API is an RFC 9457 problem, framework errors and oversized bodies included. */
class ProblemDetailsTests extends ManagementApiTestSupport {

    @Test
    void aBodyDeclaredLargerThanSixtyFourKilobytesIsRefusedBeforeItIsRead() {
        client.post().uri("/api/v1/accounts").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"email\": \"" + "x".repeat(70_000) + "\"}")
                .exchange()
                .expectStatus().isEqualTo(413)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo("https://vask.dev/problems/payload-too-large")
                .jsonPath("$.detail").isEqualTo("Request bodies are limited to 65536 bytes");
    }

    @Test
    void aChunkedBodyLargerThanSixtyFourKilobytesIsRefusedToo() {
        TestAccount account = signUp();
        byte[] chunk = ("{\"name\": \"" + "x".repeat(8_000)).getBytes(StandardCharsets.UTF_8);
        Flux<DataBuffer> body = Flux.range(0, 10).map(i -> DefaultDataBufferFactory.sharedInstance.wrap(
                i == 0 ? chunk : "x".repeat(8_000).getBytes(StandardCharsets.UTF_8)));
        account.api().post().uri("/api/v1/tenants/{t}/apps", account.tenantId()).contentType(MediaType.APPLICATION_JSON)
                .body(body, DataBuffer.class)
                .exchange()
                .expectStatus().isEqualTo(413)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.type").isEqualTo("https://vask.dev/problems/payload-too-large");
        account.api().get().uri("/api/v1/tenants/{t}/apps", account.tenantId()).exchange()
                .expectBody().jsonPath("$.length()").isEqualTo(0);
    }

    @Test
    void missingAndNonObjectBodiesAreUnreadable() {
        TestAccount account = signUp();
        account.api().post().uri("/api/v1/tenants/{t}/apps", account.tenantId()).contentType(MediaType.APPLICATION_JSON)
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.type").isEqualTo("https://vask.dev/problems/unreadable-body")
                .jsonPath("$.detail").isEqualTo("This endpoint needs a JSON body");
        account.api().post().uri("/api/v1/tenants/{t}/apps", account.tenantId()).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("[{\"name\": \"Chat\"}]")
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.detail").isEqualTo("The body must be a JSON object");
        account.api().post().uri("/api/v1/tenants/{t}/apps", account.tenantId()).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"name\": \"Chat\"} {\"name\": \"Other\"}")
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.type").isEqualTo("https://vask.dev/problems/unreadable-body");
    }

    @Test
    void unknownPathsAndMethodsAreProblemsToo() {
        TestAccount account = signUp();
        account.api().get().uri("/api/v1/nothing-here").exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.status").isEqualTo(404);
        account.api().delete().uri("/api/v1/account").exchange()
                .expectStatus().isEqualTo(405)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        client.get().uri("/api/v1/nothing-here").exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void onlyManagementApiBodiesAreReadStrictly() {
        StrictJsonDecoder decoder = new StrictJsonDecoder(JsonMapper.builder().build(), 65536);
        assertThat(decoder.canDecode(ResolvableType.forClass(AccountRequests.SignUp.class), MediaType.APPLICATION_JSON)).isTrue();
        assertThat(decoder.canDecode(ResolvableType.forClass(Map.class), MediaType.APPLICATION_JSON)).isFalse();
        assertThat(decoder.canDecode(ResolvableType.forClass(String.class), MediaType.APPLICATION_JSON)).isFalse();
        assertThat(decoder.canDecode(ResolvableType.forClass(AccountRequests.SignUp.class), MediaType.TEXT_PLAIN)).isFalse();
    }
}
