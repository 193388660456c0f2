package dev.vask.platform.web;

import java.util.Set;
import java.util.TreeSet;

import dev.vask.platform.ManagementApiTestSupport;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import dev.vask.platform.management.ManagementApi;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping;

import static org.assertj.core.api.Assertions.assertThat;

/** The management API's OpenAPI document: served without credentials, valid, complete, and browsable. */
class OpenApiDocumentTests extends ManagementApiTestSupport {

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    @Test
    void theDocumentValidatesAndListsEveryEndpointOfTheManagementApi() {
        String json = client.get().uri("/api/v1/openapi.json").exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody(String.class).returnResult().getResponseBody();
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(json, null, options);
        assertThat(result.getMessages()).as("validation messages").isEmpty();
        OpenAPI document = result.getOpenAPI();
        assertThat(document.getOpenapi()).startsWith("3.");
        assertThat(document.getInfo().getTitle()).isEqualTo("Vask management API");
        assertThat(document.getComponents().getSecuritySchemes()).containsKeys("bearerToken", "sessionCookie");
        assertThat(document.getComponents().getSchemas()).containsKey("Problem");

        Set<String> documented = new TreeSet<>();
        document.getPaths().forEach((path, item) -> item.readOperationsMap().keySet()
                .forEach(method -> documented.add(method.name() + " " + path)));
        assertThat(documented).containsExactlyInAnyOrderElementsOf(endpoints());
        assertThat(documented).contains("POST /api/v1/tenants/{tenantId}/invitations", "GET /api/v1/account/invitations",
                        "POST /api/v1/account/invitations/{invitationId}/accept", "POST /api/v1/email-verification",
                        "POST /api/v1/password-reset", "POST /api/v1/password-reset/confirm", "PUT /api/v1/operator/tenants/{tenantId}/plan",
                        "POST /api/v1/operator/plans", "GET /api/v1/tenants/{tenantId}/plan")
                .doesNotContain("POST /api/v1/tenants/{tenantId}/members");
        // the links mailed to an address work without a credential
        assertThat(document.getPaths().get("/api/v1/password-reset/confirm").getPost().getSecurity()).isEmpty();
        Set<String> operationIds = new TreeSet<>();
        document.getPaths().values().stream().flatMap(item -> item.readOperations().stream()).forEach(operation -> {
            assertThat(operation.getSummary()).as(operation.getOperationId()).isNotBlank();
            assertThat(operation.getResponses()).containsKey("4XX");
            assertThat(operation.getOperationId()).as("operation ids are chosen, not generated").matches("^[a-z][A-Za-z]+$");
            assertThat(operationIds.add(operation.getOperationId())).as(operation.getOperationId() + " is unique").isTrue();
        });
        PathItem apps = document.getPaths().get("/api/v1/apps/{appId}");
        assertThat(apps.getPatch().getRequestBody().getContent()).containsKey("application/json");
        assertThat(json).doesNotContain("\"caller\"").doesNotContain("ServerWebExchange");
    }

    @Test
    void theBrowsableDocumentationIsServedUnderTheApiPath() {
        var redirect = client.get().uri("/api/v1/docs").exchange()
                .expectStatus().is3xxRedirection()
                .returnResult(String.class);
        String location = redirect.getResponseHeaders().getLocation().toString();
        assertThat(location).startsWith("/api/v1/");
        String page = client.get().uri(location).exchange()
                .expectStatus().isEqualTo(HttpStatus.OK)
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(page).containsIgnoringCase("swagger-ui");
        String initializer = client.get().uri(location.replace("index.html", "swagger-initializer.js")).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        assertThat(initializer).contains("/api/v1/openapi.json");
    }

    /** "METHOD /pattern" of every handler under /api/v1, as the server maps them. */
    private Set<String> endpoints() {
        Set<String> endpoints = new TreeSet<>();
        mappings.getHandlerMethods().forEach((info, handler) -> info.getPatternsCondition().getPatterns().forEach(pattern -> {
            String path = pattern.getPatternString();
            if (handler.getBeanType().isAnnotationPresent(ManagementApi.class) && path.startsWith("/api/v1/")) {
                info.getMethodsCondition().getMethods().forEach(method -> endpoints.add(method.name() + " " + path));
            }
        }));
        return endpoints;
    }

}
