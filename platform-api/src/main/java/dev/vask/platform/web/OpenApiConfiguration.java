package dev.vask.platform.web;

import java.util.Map;

import dev.vask.platform.edge.PublicUrl;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeIn;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.customizers.ServerBaseUrlCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The management API's OpenAPI document ({@code /api/v1/openapi.json}, browsable at {@code /api/v1/docs}):
 * its description, the two ways to authenticate, and the problem body every 4xx/5xx answer has.
 */
@Configuration(proxyBeanMethods = false)
@OpenAPIDefinition(
        info = @Info(title = "Vask management API", version = "v1",
                description = "Accounts, tenants, members, apps, keys, API tokens, usage and the audit log of a Vask server. "
                        + "Authenticate with 'Authorization: Bearer <API token>' (scripts) or the session cookie from "
                        + "POST /api/v1/session (browsers; send X-XSRF-TOKEN with every change). Errors are RFC 9457 "
                        + "problem details. Another tenant's resources answer 404."),
        security = {@SecurityRequirement(name = OpenApiConfiguration.BEARER), @SecurityRequirement(name = OpenApiConfiguration.SESSION)})
@SecurityScheme(name = OpenApiConfiguration.BEARER, type = SecuritySchemeType.HTTP, scheme = "bearer", bearerFormat = "vask_pat_…",
        description = "A personal access token (POST /api/v1/account/tokens)")
@SecurityScheme(name = OpenApiConfiguration.SESSION, type = SecuritySchemeType.APIKEY, in = SecuritySchemeIn.COOKIE,
        paramName = "VASK_SESSION", description = "The session cookie set by POST /api/v1/session; changes also need X-XSRF-TOKEN")
class OpenApiConfiguration {

    static final String BEARER = "bearerToken";
    static final String SESSION = "sessionCookie";
    private static final String PROBLEM = "Problem";

    /** The document's server is the public URL, whatever {@code Host} the request that fetched it named. */
    @Bean
    ServerBaseUrlCustomizer openApiServerAtPublicUrl(PublicUrl publicUrl) {
        return (serverBaseUrl, request) -> publicUrl.base().toString();
    }

    /** Declares the problem body and adds it as the answer to every operation's 4XX and 5XX. */
    @Bean
    OpenApiCustomizer openApiProblemResponses() {
        return openApi -> {
            Schema<?> violation = new ObjectSchema()
                    .addProperty("field", new StringSchema().description("the JSON path of the field, or the parameter's name"))
                    .addProperty("message", new StringSchema());
            Schema<?> problem = new ObjectSchema()
                    .description("RFC 9457 problem details")
                    .addProperty("type", new StringSchema().format("uri").example("https://vask.dev/problems/validation"))
                    .addProperty("title", new StringSchema())
                    .addProperty("status", new IntegerSchema())
                    .addProperty("detail", new StringSchema())
                    .addProperty("instance", new StringSchema())
                    .addProperty("errors", new ArraySchema().items(violation).description("validation problems only"));
            problem.setRequired(java.util.List.of("type", "title", "status"));
            openApi.getComponents().addSchemas(PROBLEM, problem);
            Content content = new Content().addMediaType("application/problem+json",
                    new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM)));
            if (openApi.getPaths() == null) {
                return;
            }
            openApi.getPaths().values().forEach(path -> path.readOperations().forEach(operation -> {
                for (Map.Entry<String, String> status : Map.of("4XX", "Refused: see the problem's type and detail",
                        "5XX", "Failed on the server; nothing was applied").entrySet()) {
                    operation.getResponses().addApiResponse(status.getKey(),
                            new ApiResponse().description(status.getValue()).content(content));
                }
            }));
        };
    }
}
