/**
 * Cross-cutting web concerns of the platform: one security filter chain per surface, and for the
 * management API ({@code /api/v1}) its authentication (session cookie or bearer token), CSRF
 * protection, strict JSON reading, body size limit, RFC 9457 problem details and OpenAPI document.
 */
@NullMarked
package dev.vask.platform.web;

import org.jspecify.annotations.NullMarked;
