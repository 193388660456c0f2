package dev.vask.platform.events;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import dev.vask.platform.channels.InfoAttributes;
import dev.vask.platform.signature.PusherApiException;
import dev.vask.realtime.app.AppConfig;
import dev.vask.realtime.channel.ChannelName;
import dev.vask.realtime.connection.SocketIds;
import dev.vask.realtime.protocol.PusherEvents;
import org.springframework.http.HttpStatus;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads and validates event bodies with the limits of the Pusher HTTP API and of the app: 400 for
 * malformed JSON, missing fields, more than 100 channels, an invalid channel name or socket id, an event
 * name over 200 characters; 413 for data over the app's message size.
 */
final class EventParser {

    static final int MAX_CHANNELS = 100;
    static final int MAX_BATCH = 10;

    private static final JsonMapper JSON = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private EventParser() {
    }

    static JsonNode body(byte[] body) {
        if (body.length == 0) {
            throw PusherApiException.badRequest("The request has no body: send the event as JSON");
        }
        try {
            JsonNode node = JSON.readTree(body);
            if (node == null || !node.isObject()) {
                throw PusherApiException.badRequest("The body must be a JSON object");
            }
            return node;
        }
        catch (JacksonException e) {
            throw PusherApiException.badRequest("The body is not valid JSON");
        }
    }

    /**
     * @param rawData the exact text of this event's {@code data}, asked for only when it is not a string
     */
    static PublishRequest event(JsonNode node, AppConfig app, String where, Supplier<String> rawData) {
        if (!node.isObject()) {
            throw PusherApiException.badRequest(where + "each event must be a JSON object");
        }
        String name = requiredString(node, "name", where);
        if (name.isEmpty()) {
            throw PusherApiException.badRequest(where + "name must not be empty");
        }
        if (name.length() > PusherEvents.MAX_EVENT_NAME_LENGTH) {
            throw PusherApiException.badRequest(where + "name is longer than " + PusherEvents.MAX_EVENT_NAME_LENGTH + " characters");
        }
        String data = data(node, where, rawData);
        List<ChannelName> channels = channels(node, where);
        String socketId = optionalString(node, "socket_id", where);
        if (socketId != null && !SocketIds.isValid(socketId)) {
            throw PusherApiException.badRequest(where + "socket_id must look like 1234.5678");
        }
        Set<String> info = InfoAttributes.parse(optionalString(node, "info", where), InfoAttributes.FOR_EVENTS, where);
        InfoAttributes.requireAvailable(info, channels, where);
        int size = data.getBytes(StandardCharsets.UTF_8).length;
        if (size > app.limits().maxMessageBytes()) {
            throw new PusherApiException(HttpStatus.CONTENT_TOO_LARGE, where + "data is " + size + " bytes, more than this app's limit of "
                    + app.limits().maxMessageBytes() + " bytes");
        }
        return new PublishRequest(name, data, channels, socketId, info);
    }

    private static String data(JsonNode node, String where, Supplier<String> rawData) {
        JsonNode data = node.get("data");
        if (data == null || data.isNull()) {
            throw PusherApiException.badRequest(where + "data is required (a string, usually JSON-encoded)");
        }
        // the protocol's data is a string; another JSON value is delivered as the exact text received
        return data.isString() ? data.asString() : rawData.get();
    }

    private static List<ChannelName> channels(JsonNode node, String where) {
        JsonNode one = node.get("channel");
        JsonNode many = node.get("channels");
        if ((one == null) == (many == null)) {
            throw PusherApiException.badRequest(where + "give exactly one of channel or channels");
        }
        List<String> names = new ArrayList<>();
        if (one != null) {
            if (!one.isString()) {
                throw PusherApiException.badRequest(where + "channel must be a string");
            }
            names.add(one.asString());
        }
        else {
            if (!many.isArray() || many.isEmpty()) {
                throw PusherApiException.badRequest(where + "channels must be a non-empty array of channel names");
            }
            if (many.size() > MAX_CHANNELS) {
                throw PusherApiException.badRequest(where + "an event may go to at most " + MAX_CHANNELS + " channels, not " + many.size());
            }
            for (JsonNode channel : many) {
                if (!channel.isString()) {
                    throw PusherApiException.badRequest(where + "channels must contain only strings");
                }
                if (!names.contains(channel.asString())) { // a channel listed twice still gets the event once
                    names.add(channel.asString());
                }
            }
        }
        List<ChannelName> channels = new ArrayList<>(names.size());
        for (String name : names) {
            channels.add(ChannelName.parse(name).orElseThrow(() -> PusherApiException.badRequest(
                    where + "invalid channel name '" + abbreviate(name) + "': " + ChannelName.problem(name))));
        }
        return channels;
    }

    static String requiredString(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw PusherApiException.badRequest(where + field + " is required");
        }
        if (!value.isString()) {
            throw PusherApiException.badRequest(where + field + " must be a string");
        }
        return value.asString();
    }

    static String optionalString(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString()) {
            throw PusherApiException.badRequest(where + field + " must be a string");
        }
        return value.asString();
    }

    private static String abbreviate(String text) {
        return text.length() > 64 ? text.substring(0, 64) + "..." : text;
    }
}
