package dev.vask.platform.web;

import dev.vask.platform.ManagementApiTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/** Every answer of the OpenAPI UI and document carries the Content-Security-Policy; the API's other answers do not need it. */
class DocumentationContentSecurityPolicyTests extends ManagementApiTestSupport {

    static final String CSP = "Content-Security-Policy";

    @LocalServerPort
    int port;

    @Test
    void theUiItsFilesItsRedirectAndTheDocumentCarryThePolicy() {
        for (String path : new String[] {"/api/v1/docs", "/api/v1/swagger-ui/index.html", "/api/v1/swagger-ui/swagger-ui-bundle.js",
                "/api/v1/swagger-ui/swagger-initializer.js", "/api/v1/openapi.json", "/api/v1/openapi.json/swagger-config"}) {
            String policy = client.get().uri(path).exchange().returnResult(String.class).getResponseHeaders().getFirst(CSP);
            assertThat(policy).as(path).isNotNull()
                    .contains("default-src 'none'", "script-src 'self'", "frame-ancestors 'none'", "base-uri 'none'")
                    .contains("connect-src 'self' http://localhost:" + port)
                    .doesNotContain("'unsafe-eval'");
            assertThat(policy.replaceAll("style-src [^;]*", "")).as(path + ": only styles may be inline").doesNotContain("'unsafe-inline'");
        }
    }
}
