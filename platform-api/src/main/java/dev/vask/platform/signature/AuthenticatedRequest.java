package dev.vask.platform.signature;

import dev.vask.realtime.app.AppConfig;

/** A Pusher HTTP API request whose signature checked out, with the app it is for (enabled). */
public record AuthenticatedRequest(AppConfig app, PusherRequest request) {
}
