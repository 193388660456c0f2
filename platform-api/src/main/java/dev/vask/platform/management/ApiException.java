package dev.vask.platform.management;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;

/**
 * A request the management API refuses, with everything its RFC 9457 problem body needs. Services
 * throw (or emit) these; {@code dev.vask.platform.web.ProblemDetailsAdvice} renders them as
 * {@code application/problem+json} with {@code type = https://vask.dev/problems/<slug>}.
 *
 * <p>Another tenant's resource is always {@link #notFound(String)}, never {@link #forbidden(String)}:
 * 403 is only for the caller's own tenant, where the resource's existence is no secret.
 */
public class ApiException extends RuntimeException {

    public static final String TYPE_BASE = "https://vask.dev/problems/";

    private final HttpStatus status;
    private final String slug;
    private final String title;
    private final List<FieldViolation> errors;
    private final @Nullable Duration retryAfter;

    protected ApiException(HttpStatus status, String slug, String title, String detail, List<FieldViolation> errors,
            @Nullable Duration retryAfter) {
        super(detail, null, false, false); // expected outcomes: no stack trace
        this.status = status;
        this.slug = slug;
        this.title = title;
        this.errors = List.copyOf(errors);
        this.retryAfter = retryAfter;
    }

    /** Any other refusal: status, a slug for the type URI, a short title and the detail. */
    public static ApiException of(HttpStatus status, String slug, String title, String detail) {
        return new ApiException(status, slug, title, detail, List.of(), null);
    }

    /** A refusal the client may retry after a while (429, 503): as {@link #of}, with {@code Retry-After}. */
    public static ApiException of(HttpStatus status, String slug, String title, String detail, Duration retryAfter) {
        return new ApiException(status, slug, title, detail, List.of(), retryAfter);
    }

    /** A refusal with a slug of its own that names one field or more (such as a plan's ceiling). */
    public static ApiException of(HttpStatus status, String slug, String title, List<FieldViolation> errors) {
        String detail = errors.size() == 1 ? errors.getFirst().field() + " " + errors.getFirst().message()
                : errors.size() + " fields are refused";
        return new ApiException(status, slug, title, detail, errors, null);
    }

    /** 404: the resource does not exist, or belongs to a tenant the caller is not a member of. */
    public static ApiException notFound(String detail) {
        return new ApiException(HttpStatus.NOT_FOUND, "not-found", "Not found", detail, List.of(), null);
    }

    /** 403: the caller's role (or token scope) does not allow this in the caller's own tenant. */
    public static ApiException forbidden(String detail) {
        return new ApiException(HttpStatus.FORBIDDEN, "forbidden", "Forbidden", detail, List.of(), null);
    }

    /** 400 with one entry per invalid field. */
    public static ApiException invalid(List<FieldViolation> errors) {
        String detail = errors.size() == 1 ? errors.getFirst().field() + " " + errors.getFirst().message()
                : errors.size() + " fields are invalid";
        return new ApiException(HttpStatus.BAD_REQUEST, "validation", "Invalid request", detail, errors, null);
    }

    public static ApiException invalid(String field, String message) {
        return invalid(List.of(new FieldViolation(field, message)));
    }

    /** 400: the body is not JSON, or not the JSON this endpoint reads, and no field can be named. */
    public static ApiException unreadable(String detail) {
        return new ApiException(HttpStatus.BAD_REQUEST, "unreadable-body", "Unreadable request body", detail, List.of(), null);
    }

    /** 409: the request contradicts the current state (slug names the rule, such as {@code last-owner}). */
    public static ApiException conflict(String slug, String title, String detail) {
        return new ApiException(HttpStatus.CONFLICT, slug, title, detail, List.of(), null);
    }

    /** 412: {@code If-Match} names a version that is no longer current. */
    public static ApiException preconditionFailed(String detail) {
        return new ApiException(HttpStatus.PRECONDITION_FAILED, "stale-version", "Changed since read", detail, List.of(), null);
    }

    /** 401: no credential, or one that is unknown, expired or revoked. */
    public static ApiException unauthorized(String detail) {
        return new ApiException(HttpStatus.UNAUTHORIZED, "unauthorized", "Unauthorized", detail, List.of(), null);
    }

    /** 429 with {@code Retry-After}. */
    public static ApiException tooManyAttempts(String detail, Duration retryAfter) {
        return new ApiException(HttpStatus.TOO_MANY_REQUESTS, "too-many-attempts", "Too many attempts", detail, List.of(), retryAfter);
    }

    /** 413: the body is larger than the API accepts. */
    public static ApiException payloadTooLarge(long maxBytes) {
        return new ApiException(HttpStatus.CONTENT_TOO_LARGE, "payload-too-large", "Request body too large",
                "Request bodies are limited to " + maxBytes + " bytes", List.of(), null);
    }

    public HttpStatus status() {
        return status;
    }

    public URI type() {
        return URI.create(TYPE_BASE + slug);
    }

    public String slug() {
        return slug;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return getMessage();
    }

    public List<FieldViolation> errors() {
        return errors;
    }

    public @Nullable Duration retryAfter() {
        return retryAfter;
    }
}
