package dev.vask.realtime.presence;

/**
 * A member of a presence channel: the user id (as a string; numeric ids are kept as their JSON text)
 * and its {@code user_info} as JSON text ({@code null} when absent).
 */
public record PresenceMember(String userId, String userInfoJson) {
}
