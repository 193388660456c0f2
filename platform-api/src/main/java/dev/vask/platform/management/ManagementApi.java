package dev.vask.platform.management;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a controller of the management API ({@code /api/v1}). Errors of marked controllers become
 * RFC 9457 problem details ({@code dev.vask.platform.web.ProblemDetailsAdvice}); other surfaces,
 * such as the Pusher HTTP API, keep their own error format.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface ManagementApi {
}
