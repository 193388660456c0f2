package dev.vask.platform.web;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import dev.vask.platform.management.ApiException;
import dev.vask.platform.management.FieldViolation;
import dev.vask.platform.management.ManagementApi;
import dev.vask.platform.management.ManagementProperties;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.FieldError;
import org.springframework.web.ErrorResponse;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.bind.support.WebExchangeBindException;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.server.MissingRequestValueException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * The management API's one error translator: every failure of a {@link ManagementApi} controller
 * becomes an RFC 9457 problem ({@code application/problem+json}) with a {@code https://vask.dev/problems/...}
 * type. Validation failures list each field in {@code errors: [{field, message}]}. Other surfaces
 * (the Pusher HTTP API) are not affected.
 */
@RestControllerAdvice(annotations = ManagementApi.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class ProblemDetailsAdvice {

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

    private final long maxRequestBytes;

    ProblemDetailsAdvice(ManagementProperties properties) {
        this.maxRequestBytes = properties.maxRequestSize().toBytes();
    }

    @ExceptionHandler
    ResponseEntity<Map<String, Object>> apiException(ApiException error, ServerWebExchange exchange) {
        return respond(error, exchange);
    }

    /** {@code @Valid} request bodies. */
    @ExceptionHandler
    ResponseEntity<Map<String, Object>> invalidBody(WebExchangeBindException error, ServerWebExchange exchange) {
        List<FieldViolation> errors = new ArrayList<>();
        for (FieldError field : error.getFieldErrors()) {
            errors.add(new FieldViolation(field.getField(), message(field)));
        }
        error.getGlobalErrors().forEach(global -> errors.add(new FieldViolation(global.getObjectName(), message(global))));
        errors.sort(java.util.Comparator.comparing(FieldViolation::field).thenComparing(FieldViolation::message));
        return respond(ApiException.invalid(errors), exchange);
    }

    /** Constraints on path variables and query parameters. */
    @ExceptionHandler
    ResponseEntity<Map<String, Object>> invalidParameters(HandlerMethodValidationException error, ServerWebExchange exchange) {
        List<FieldViolation> errors = new ArrayList<>();
        error.getParameterValidationResults().forEach(result -> {
            String name = result.getMethodParameter().getParameterName();
            result.getResolvableErrors().forEach(resolvable -> errors.add(new FieldViolation(name != null ? name : "parameter",
                    message(resolvable))));
        });
        return respond(ApiException.invalid(errors), exchange);
    }

    /** Unreadable bodies (not JSON, unknown fields, wrong types) and unparsable parameters. */
    @ExceptionHandler
    ResponseEntity<Map<String, Object>> unreadable(ServerWebInputException error, ServerWebExchange exchange) {
        String parameter = error.getMethodParameter() != null ? error.getMethodParameter().getParameterName() : null;
        if (find(error, DataBufferLimitException.class) != null) {
            return respond(ApiException.payloadTooLarge(maxRequestBytes), exchange);
        }
        if (error instanceof MissingRequestValueException missing) {
            return respond(ApiException.invalid(missing.getName(), "is required"), exchange);
        }
        TypeMismatchException mismatch = find(error, TypeMismatchException.class);
        if (mismatch != null) {
            String name = mismatch.getPropertyName() != null ? mismatch.getPropertyName() : parameter != null ? parameter : "parameter";
            return respond(ApiException.invalid(name, "must be " + describe(mismatch.getRequiredType())), exchange);
        }
        JacksonException json = find(error, JacksonException.class);
        if (json != null) {
            return respond(fromJackson(json), exchange);
        }
        String reason = error.getReason() != null ? error.getReason() : "The request could not be read";
        if (reason.contains("No request body")) {
            return respond(ApiException.unreadable("This endpoint needs a JSON body"), exchange);
        }
        return respond(ApiException.unreadable(reason), exchange);
    }

    /** 404, 405, 406, 415 and the other statuses Spring raises itself. */
    @ExceptionHandler({ResponseStatusException.class, ErrorResponseException.class})
    ResponseEntity<Map<String, Object>> framework(Exception exception, ServerWebExchange exchange) {
        ErrorResponse error = (ErrorResponse) exception;
        HttpStatusCode status = error.getStatusCode();
        if (status.value() == HttpStatus.CONTENT_TOO_LARGE.value()) {
            return respond(ApiException.payloadTooLarge(maxRequestBytes), exchange);
        }
        String detail = error.getBody().getDetail() != null ? error.getBody().getDetail() : "";
        HttpStatus known = HttpStatus.resolve(status.value());
        String title = known != null ? known.getReasonPhrase() : "Error";
        String slug = title.toLowerCase(java.util.Locale.ROOT).replace(' ', '-');
        ApiException problem = ApiException.of(known != null ? known : HttpStatus.INTERNAL_SERVER_ERROR, slug, title, detail);
        ResponseEntity<Map<String, Object>> response = respond(problem, exchange);
        return ResponseEntity.status(status).headers(error.getHeaders()).headers(response.getHeaders()).body(response.getBody());
    }

    @ExceptionHandler
    ResponseEntity<Map<String, Object>> dataBufferLimit(DataBufferLimitException error, ServerWebExchange exchange) {
        return respond(ApiException.payloadTooLarge(maxRequestBytes), exchange);
    }

    @ExceptionHandler
    ResponseEntity<Map<String, Object>> unexpected(Exception error, ServerWebExchange exchange) {
        DataBufferLimitException limit = find(error, DataBufferLimitException.class);
        if (limit != null) {
            return respond(ApiException.payloadTooLarge(maxRequestBytes), exchange);
        }
        if (ClientAborts.isClientAbort(error)) {
            log.atDebug().addKeyValue("path", exchange.getRequest().getPath().value())
                    .log("Management API request abandoned by the client: {}", error.toString());
        }
        else {
            log.atError().setCause(error).addKeyValue("path", exchange.getRequest().getPath().value())
                    .log("Management API request failed");
        }
        return respond(ApiException.of(HttpStatus.INTERNAL_SERVER_ERROR, "internal", "Internal error",
                "Something went wrong on our side; the request was not applied"), exchange);
    }

    private static ResponseEntity<Map<String, Object>> respond(ApiException error, ServerWebExchange exchange) {
        return ResponseEntity.status(error.status())
                .headers(ProblemResponses.headers(error))
                .contentType(ProblemResponses.PROBLEM_JSON)
                .body(ProblemResponses.asMap(ProblemResponses.problem(error, exchange)));
    }

    static ApiException fromJackson(JacksonException error) {
        if (error instanceof UnrecognizedPropertyException unknown) {
            return ApiException.invalid(path(unknown, null), "is not a known field");
        }
        if (error instanceof tools.jackson.databind.exc.InvalidNullException nullValue) {
            return ApiException.invalid(path(nullValue, null), "must not be null (leave the field out to keep its value)");
        }
        if (error instanceof InvalidFormatException || error instanceof MismatchedInputException) {
            DatabindException mismatch = (DatabindException) error;
            Class<?> target = error instanceof MismatchedInputException input ? input.getTargetType() : null;
            String field = path(mismatch, null);
            if (field.isEmpty()) {
                return ApiException.unreadable("The body must be a JSON object");
            }
            return ApiException.invalid(field, "must be " + describe(target));
        }
        if (error instanceof StreamReadException read) {
            String field = path(read, read.processor() instanceof JsonParser parser ? parser.streamReadContext() : null);
            String message = read.getOriginalMessage();
            if (message != null && message.contains("out of range")) {
                return ApiException.invalid(field.isEmpty() ? "body" : field, "is out of range");
            }
            if (message != null && message.startsWith("Duplicate")) {
                return ApiException.invalid(field.isEmpty() ? "body" : field, "appears twice");
            }
            return ApiException.unreadable("The body is not valid JSON");
        }
        return ApiException.unreadable("The body could not be read");
    }

    private static String path(JacksonException error, @Nullable TokenStreamContext context) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : error.getPath()) {
            if (reference.getPropertyName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(reference.getPropertyName());
            }
            else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        if (path.isEmpty() && context != null) {
            List<String> names = new ArrayList<>();
            for (TokenStreamContext current = context; current != null; current = current.getParent()) {
                if (current.currentName() != null) {
                    names.addFirst(current.currentName());
                }
            }
            return String.join(".", names);
        }
        return path.toString();
    }

    private static String describe(@Nullable Class<?> type) {
        if (type == null) {
            return "of another type";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class || type == Short.class) {
            return "an integer";
        }
        if (Number.class.isAssignableFrom(type)) {
            return "a number";
        }
        if (type == java.time.Instant.class || type == java.time.OffsetDateTime.class) {
            return "a timestamp such as 2027-01-01T00:00:00Z";
        }
        if (type == java.time.LocalDate.class) {
            return "a date such as 2026-11-25";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        return "an object";
    }

    private static String message(MessageSourceResolvable error) {
        return error.getDefaultMessage() != null ? error.getDefaultMessage() : "is invalid";
    }



    private static <T extends Throwable> @Nullable T find(Throwable error, Class<T> type) {
        for (Throwable current = error; current != null; current = current.getCause()) {
            if (type.isInstance(current)) {
                return type.cast(current);
            }
            if (current.getCause() == current) {
                break;
            }
        }
        return null;
    }
}
