package dev.vask.realtime.connection;

import java.util.List;

/**
 * The user a socket signed in as with {@code pusher:signin}.
 *
 * @param id the user id ({@code user_data.id})
 * @param userInfoJson {@code user_data.user_info} as JSON text, or {@code null}
 * @param watchlist the user ids whose online status this user follows (at most the configured maximum)
 */
record SignedInUser(String id, String userInfoJson, List<String> watchlist) {
}
