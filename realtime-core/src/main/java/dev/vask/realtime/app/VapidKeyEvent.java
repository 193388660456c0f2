package dev.vask.realtime.app;

import java.util.Objects;

/**
 * An app's current Web Push (VAPID) key as its clients hear of it: the change event's JSON text, written
 * verbatim as the {@code data} of the connection-level {@code vask:vapid} event, and the id of the key it
 * announces. Key ids only grow (a rotation inserts a new row), so the larger id is the newer key: a node that
 * hears of two keys out of order keeps the newer one.
 *
 * @param keyId the database id of the key pair the event announces
 * @param json the change event, {@code {"type":"vapid","event":"changed","at":...,"key":...}}, built by the
 *        platform's vapid package (realtime never looks inside)
 */
public record VapidKeyEvent(long keyId, String json) {

    public VapidKeyEvent {
        Objects.requireNonNull(json, "json");
    }
}
