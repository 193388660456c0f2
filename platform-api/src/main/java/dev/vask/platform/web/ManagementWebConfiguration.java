package dev.vask.platform.web;

import dev.vask.platform.edge.PublicUrl;
import dev.vask.platform.management.ManagementProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.server.WebFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * The management API's request handling: strict JSON for its bodies, a cap on body size, and its
 * documentation served off the event loop, at the public URL and under a Content-Security-Policy.
 */
@Configuration(proxyBeanMethods = false)
class ManagementWebConfiguration {

    @Bean
    WebFluxConfigurer managementApiCodecs(JsonMapper jsonMapper, ManagementProperties properties) {
        int maxBytes = (int) Math.min(Integer.MAX_VALUE, properties.maxRequestSize().toBytes());
        return new WebFluxConfigurer() {
            @Override
            public void configureHttpMessageCodecs(ServerCodecConfigurer codecs) {
                codecs.customCodecs().register(new StrictJsonDecoder(jsonMapper, maxBytes));
            }
        };
    }

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE + 20)
    WebFilter managementApiDocumentationOffEventLoop() {
        return new DocumentationOffEventLoop();
    }

    /** Before {@link #managementApiDocumentationAtPublicUrl}, so that its redirect carries the policy too. */
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE + 30)
    WebFilter managementApiDocumentationContentSecurityPolicy(PublicUrl publicUrl) {
        return new DocumentationContentSecurityPolicy(publicUrl);
    }

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE + 40)
    WebFilter managementApiDocumentationAtPublicUrl(PublicUrl publicUrl) {
        return new DocumentationAtPublicUrl(publicUrl);
    }

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE + 10)
    WebFilter managementApiBodyLimit(ManagementProperties properties, ProblemResponses problems) {
        return new RequestSizeLimitFilter(properties.maxRequestSize().toBytes(), problems);
    }
}
