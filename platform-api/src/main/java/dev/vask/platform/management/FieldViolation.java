package dev.vask.platform.management;

/**
 * One invalid field of a request, as listed in a validation problem's {@code errors}.
 *
 * @param field the JSON path of the field ({@code name}, {@code limits.maxConnections}), or the
 *        query parameter's name
 * @param message what is wrong, for a person: {@code must be 1 to 100 characters}
 */
public record FieldViolation(String field, String message) {
}
