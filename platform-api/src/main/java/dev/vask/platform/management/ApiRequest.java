package dev.vask.platform.management;

/**
 * A JSON request body of the management API. Bodies of these types are read strictly: unknown fields,
 * duplicate fields, and values of the wrong JSON type (a string for a number, a number for a boolean)
 * are refused with a validation problem naming the field, instead of being ignored or coerced.
 * Other surfaces keep Spring Boot's lenient JSON reading.
 */
public interface ApiRequest {
}
