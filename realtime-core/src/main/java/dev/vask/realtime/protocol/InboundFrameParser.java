package dev.vask.realtime.protocol;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;

/**
 * Reads client frames with Jackson's streaming parser, validating the whole text as JSON while
 * keeping the raw text of {@code data}: client events are forwarded byte for byte, never
 * re-serialized. Duplicate keys are refused, so a frame cannot mean two things.
 */
public final class InboundFrameParser {

    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private InboundFrameParser() {
    }

    public static InboundFrame parse(String text) throws InvalidFrameException {
        try (JsonParser parser = JSON.createParser(ObjectReadContext.empty(), text)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidFrameException("Invalid message: a frame must be a JSON object");
            }
            String event = null;
            String channel = null;
            String data = null;
            Map<String, String> dataFields = Map.of();
            Set<String> nonStringDataFields = Set.of();
            String name;
            while ((name = parser.nextName()) != null) {
                JsonToken token = parser.nextToken();
                switch (name) {
                    case "event" -> event = string(parser, token, "event");
                    case "channel" -> channel = token == JsonToken.VALUE_NULL ? null : string(parser, token, "channel");
                    case "data" -> {
                        int start = (int) parser.currentTokenLocation().getCharOffset();
                        if (token == JsonToken.START_OBJECT) {
                            dataFields = new HashMap<>(4);
                            nonStringDataFields = new HashSet<>(2);
                            readMembers(parser, dataFields, nonStringDataFields);
                        }
                        else if (token == JsonToken.VALUE_STRING) {
                            parser.getString(); // completes the token, so the offset below is after it
                        }
                        else {
                            parser.skipChildren();
                        }
                        data = text.substring(start, (int) parser.currentLocation().getCharOffset());
                    }
                    default -> parser.skipChildren();
                }
            }
            if (parser.nextToken() != null) {
                throw new InvalidFrameException("Invalid message: unexpected text after the JSON object");
            }
            if (event == null || event.isEmpty()) {
                throw new InvalidFrameException("Invalid message: the frame has no event");
            }
            return new InboundFrame(event, channel, data, dataFields, nonStringDataFields);
        }
        catch (JacksonException e) {
            throw new InvalidFrameException("Invalid message: not valid JSON");
        }
    }

    private static void readMembers(JsonParser parser, Map<String, String> strings, Set<String> others) {
        String name;
        while ((name = parser.nextName()) != null) {
            JsonToken token = parser.nextToken();
            if (token == JsonToken.VALUE_STRING) {
                strings.put(name, parser.getString());
            }
            else {
                others.add(name);
                parser.skipChildren();
            }
        }
    }

    private static String string(JsonParser parser, @Nullable JsonToken token, String field) throws InvalidFrameException {
        if (token != JsonToken.VALUE_STRING) {
            throw new InvalidFrameException("Invalid message: " + field + " must be a string");
        }
        return parser.getString();
    }
}
