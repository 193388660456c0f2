package dev.vask.platform.web;

import java.nio.charset.StandardCharsets;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedException;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;
import org.springframework.security.web.server.firewall.ServerWebExchangeFirewall;
import org.springframework.security.web.server.firewall.StrictServerWebExchangeFirewall;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Which request paths reach Vask at all. Spring Security's strict firewall stays on (encoded slashes,
 * percent signs, NUL, {@code ..}), but allows {@code ;}: it is a valid character of channel names, so
 * {@code GET /apps/{app}/channels/a;b} must reach its handler. A refused path gets a body that says
 * why, in the shape of the API it was meant for, never an empty 400.
 */
@Configuration(proxyBeanMethods = false)
class RequestPathRules {

    @Bean
    ServerWebExchangeFirewall requestPathFirewall() {
        StrictServerWebExchangeFirewall firewall = new StrictServerWebExchangeFirewall();
        firewall.setAllowSemicolon(true);
        return firewall;
    }

    @Bean
    ServerExchangeRejectedHandler requestPathRejection() {
        return (exchange, rejected) -> answer(exchange, rejected);
    }

    private static Mono<Void> answer(ServerWebExchange exchange, ServerExchangeRejectedException rejected) {
        String why = "The request path or headers contain characters Vask does not accept (such as an encoded '/', "
                + "'%' or a NUL byte, or '..')";
        boolean managementApi = exchange.getRequest().getPath().value().startsWith("/api/");
        String body = managementApi
                ? "{\"type\":\"https://vask.dev/problems/bad-request\",\"title\":\"Bad Request\",\"status\":400,\"detail\":\"" + why + "\"}"
                : "{\"error\":\"" + why + "\"}";
        var response = exchange.getResponse();
        response.setStatusCode(HttpStatus.BAD_REQUEST);
        response.getHeaders().setContentType(managementApi ? MediaType.APPLICATION_PROBLEM_JSON : MediaType.APPLICATION_JSON);
        return response.writeWith(Mono.just(response.bufferFactory().wrap(body.getBytes(StandardCharsets.UTF_8))));
    }
}
