package dev.vask.platform.web;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Defaults of the management API, added with the lowest precedence so that any setting of the operator
 * wins (a library module cannot ship an {@code application.yml} without shadowing the server's):
 * <ul>
 * <li>the OpenAPI document and its UI under the API's path ({@code /api/v1/openapi.json}, {@code /api/v1/docs}),
 *     describing {@code /api/v1/**} only;</li>
 * <li>the {@code VASK_*} environment variables of docs/management-api.md, mapped onto {@code vask.management.*}
 *     {@code vask.usage.*} and {@code vask.push.*} (Spring's own relaxed names, such as {@code VASK_MANAGEMENT_SIGNUPENABLED}, work too).</li>
 * </ul>
 */
class ManagementApiDefaults implements EnvironmentPostProcessor {

    static final String SOURCE = "vaskManagementApiDefaults";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Map<String, Object> defaults = new LinkedHashMap<>();
        // serving the document is intended (docs/management-api.md says how to turn it off): no warning at every start
        defaults.put("logging.level.org.springdoc.core.events.SpringDocAppInitializer", "ERROR");
        defaults.put("springdoc.api-docs.path", "/api/v1/openapi.json");
        defaults.put("springdoc.swagger-ui.path", "/api/v1/docs");
        defaults.put("springdoc.paths-to-match", "/api/v1/**");
        defaults.put("springdoc.swagger-ui.operations-sorter", "method");
        defaults.put("springdoc.swagger-ui.tags-sorter", "alpha");
        defaults.put("springdoc.default-produces-media-type", "application/json");
        defaults.put("springdoc.writer-with-order-by-keys", "true");
        defaults.put("vask.management.signup-enabled", "${VASK_SIGNUP_ENABLED:true}");
        defaults.put("vask.management.session-lifetime", "${VASK_SESSION_LIFETIME:7d}");
        defaults.put("vask.management.max-request-size", "${VASK_MAX_REQUEST_SIZE:64KB}");
        defaults.put("vask.management.login.account-failures", "${VASK_LOGIN_ACCOUNT_FAILURES:5}");
        defaults.put("vask.management.login.address-failures", "${VASK_LOGIN_ADDRESS_FAILURES:20}");
        defaults.put("vask.management.login.first-lock", "${VASK_LOGIN_FIRST_LOCK:1s}");
        defaults.put("vask.management.login.max-lock", "${VASK_LOGIN_MAX_LOCK:15m}");
        defaults.put("vask.management.login.window", "${VASK_LOGIN_WINDOW:15m}");
        defaults.put("vask.api.max-body", "${VASK_API_MAX_BODY:16MB}");
        defaults.put("vask.usage.flush-interval", "${VASK_USAGE_FLUSH_INTERVAL:10s}");
        // Web Push delivery (docs/configuration.md)
        defaults.put("vask.push.allowed-hosts", "${VASK_PUSH_ALLOWED_HOSTS:}");
        defaults.put("vask.push.subject", "${VASK_PUSH_SUBJECT:mailto:webpush@vask.local}");
        defaults.put("vask.push.max-in-flight", "${VASK_PUSH_MAX_IN_FLIGHT:256}");
        defaults.put("vask.push.queue-capacity", "${VASK_PUSH_QUEUE_CAPACITY:10000}");
        environment.getPropertySources().addLast(new MapPropertySource(SOURCE, defaults));
    }
}
