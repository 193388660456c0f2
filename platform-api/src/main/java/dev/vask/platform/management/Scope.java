package dev.vask.platform.management;

import java.util.Locale;
import java.util.Optional;

/**
 * What an API token may do. {@code read} allows GET requests; {@code write} allows every method and
 * implies {@code read}. A signed-in session has both. Roles still apply on top of scopes.
 */
public enum Scope {
    READ, WRITE;

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Scope> parse(String value) {
        for (Scope scope : values()) {
            if (scope.value().equals(value)) {
                return Optional.of(scope);
            }
        }
        return Optional.empty();
    }
}
