package dev.vask.realtime.protocol;

import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * A frame a client sent, as far as the server needs to understand it.
 *
 * @param event the {@code event} field
 * @param channel the top-level {@code channel} field (client events)
 * @param data the {@code data} value exactly as received (raw JSON text), to forward untouched
 * @param dataFields the string members of {@code data} when it is an object ({@code channel},
 *        {@code auth}, {@code channel_data}, {@code user_data}, ...)
 * @param nonStringDataFields members of {@code data} whose value is not a string
 */
public record InboundFrame(String event, @Nullable String channel, @Nullable String data,
        Map<String, String> dataFields, Set<String> nonStringDataFields) {

    /** A string member of the data object; empty when absent or not a string. */
    public @Nullable String dataField(String name) {
        return dataFields.get(name);
    }

    public boolean dataFieldIsNotAString(String name) {
        return nonStringDataFields.contains(name);
    }
}
