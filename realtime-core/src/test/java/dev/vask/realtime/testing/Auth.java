package dev.vask.realtime.testing;

import dev.vask.realtime.app.AppConfig;
import dev.vask.realtime.auth.SignatureVerifier;

/** What a customer's auth endpoint would return, computed the way the official server SDKs do. */
public final class Auth {

    private Auth() {
    }

    public static String channel(AppConfig app, String socketId, String channel) {
        return TestApps.key(app) + ":" + SignatureVerifier.hmacHex(TestApps.secret(app), socketId + ":" + channel);
    }

    public static String presence(AppConfig app, String socketId, String channel, String channelData) {
        return TestApps.key(app) + ":" + SignatureVerifier.hmacHex(TestApps.secret(app), socketId + ":" + channel + ":" + channelData);
    }

    public static String user(AppConfig app, String socketId, String userData) {
        return TestApps.key(app) + ":" + SignatureVerifier.hmacHex(TestApps.secret(app), socketId + "::user::" + userData);
    }
}
