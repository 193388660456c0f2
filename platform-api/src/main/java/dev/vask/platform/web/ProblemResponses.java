package dev.vask.platform.web;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.vask.platform.management.ApiException;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns an {@link ApiException} into an RFC 9457 problem body, for controllers ({@link ProblemDetailsAdvice})
 * and for the places that answer before any controller runs (security handlers, the body size filter).
 */
@Component
class ProblemResponses {

    static final MediaType PROBLEM_JSON = MediaType.APPLICATION_PROBLEM_JSON;

    private final JsonMapper json;

    ProblemResponses(JsonMapper json) {
        this.json = json;
    }

    static ProblemDetail problem(ApiException error, ServerWebExchange exchange) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(error.status(), error.detail());
        problem.setType(error.type());
        problem.setTitle(error.title());
        problem.setInstance(java.net.URI.create(exchange.getRequest().getPath().value()));
        if (!error.errors().isEmpty()) {
            problem.setProperty("errors", error.errors());
        }
        return problem;
    }

    static HttpHeaders headers(ApiException error) {
        HttpHeaders headers = new HttpHeaders();
        if (error.retryAfter() != null) {
            long seconds = Math.max(1, (error.retryAfter().toMillis() + 999) / 1000);
            headers.set(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
        }
        return headers;
    }

    /** The problem's members in RFC 9457 order, extension members (such as {@code errors}) last. */
    static Map<String, Object> asMap(ProblemDetail problem) {
        Map<String, Object> members = new LinkedHashMap<>();
        members.put("type", problem.getType().toString());
        members.put("title", problem.getTitle());
        members.put("status", problem.getStatus());
        members.put("detail", problem.getDetail());
        if (problem.getInstance() != null) {
            members.put("instance", problem.getInstance().toString());
        }
        if (problem.getProperties() != null) {
            members.putAll(problem.getProperties());
        }
        return members;
    }

    /** Writes the problem as the whole response (outside of controllers). */
    Mono<Void> write(ServerWebExchange exchange, ApiException error) {
        ServerHttpResponse response = exchange.getResponse();
        if (response.isCommitted()) {
            return Mono.error(error);
        }
        response.setStatusCode(error.status());
        response.getHeaders().setContentType(PROBLEM_JSON);
        response.getHeaders().addAll(headers(error));
        byte[] body = json.writeValueAsString(asMap(problem(error, exchange))).getBytes(StandardCharsets.UTF_8);
        DataBuffer buffer = response.bufferFactory().wrap(body);
        return response.writeWith(Mono.just(buffer));
    }
}
