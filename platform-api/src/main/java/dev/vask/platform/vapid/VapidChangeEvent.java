package dev.vask.platform.vapid;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import dev.vask.realtime.protocol.JsonText;

/**
 * The one place that writes the VAPID key change event, exactly in the shape clients parse:
 * {@code {"type":"vapid","event":"changed","at":"2026-12-06T05:44:58.100206Z","key":"B..."}}. {@code at} is
 * when the key was made, RFC 3339 in UTC with exactly six fractional digits; {@code key} the public key as
 * URL-safe base64 without padding. Realtime sends it as the data of {@code vask:vapid};
 * {@code GET /apps/{app_key}/vapid} answers it as it is.
 */
public final class VapidChangeEvent {

    private static final DateTimeFormatter AT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private VapidChangeEvent() {
    }

    public static String json(Instant at, String publicKey) {
        return "{\"type\":\"vapid\",\"event\":\"changed\",\"at\":\"" + timestamp(at) + "\",\"key\":" + JsonText.quote(publicKey) + "}";
    }

    /** RFC 3339, UTC, microseconds (what PostgreSQL keeps): {@code 2026-12-06T05:44:58.100206Z}. */
    public static String timestamp(Instant at) {
        return AT.format(at);
    }
}
