package dev.vask.platform.events;

import java.nio.charset.StandardCharsets;

import dev.vask.platform.signature.PusherApiException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/**
 * The exact text of an event's {@code data} when it is not a string: the protocol's data is a string, and
 * any other JSON value is delivered as a string holding exactly the bytes received, never re-serialised
 * (re-serialising would change number formats, escapes and key order, and turn {@code 1e999} into
 * "Infinity"). Found with the streaming parser only when an event needs it.
 */
final class RawData {

    private static final JsonFactory JSON = JsonFactory.builder().build();

    private RawData() {
    }

    /** The raw text of the top-level event's {@code data} member. */
    static String ofEvent(byte[] body) {
        try (JsonParser parser = JSON.createParser(ObjectReadContext.empty(), body)) {
            parser.nextToken();
            return member(parser, body, "data");
        }
        catch (JacksonException e) {
            throw PusherApiException.badRequest("The body is not valid JSON");
        }
    }

    /** The raw text of {@code batch[index].data}. */
    static String ofBatchItem(byte[] body, int index) {
        try (JsonParser parser = JSON.createParser(ObjectReadContext.empty(), body)) {
            parser.nextToken();
            String name;
            while ((name = parser.nextName()) != null) {
                JsonToken value = parser.nextToken();
                if (name.equals("batch") && value == JsonToken.START_ARRAY) {
                    for (int i = 0; parser.nextToken() != JsonToken.END_ARRAY; i++) {
                        if (i == index) {
                            return member(parser, body, "data");
                        }
                        parser.skipChildren();
                    }
                }
                else {
                    parser.skipChildren();
                }
            }
            throw new IllegalStateException("batch[" + index + "] has no data");
        }
        catch (JacksonException e) {
            throw PusherApiException.badRequest("The body is not valid JSON");
        }
    }

    /** With the parser on an object's START_OBJECT, the raw text of its member {@code wanted}. */
    private static String member(JsonParser parser, byte[] body, String wanted) {
        String name;
        while ((name = parser.nextName()) != null) {
            parser.nextToken();
            if (name.equals(wanted)) {
                int start = (int) parser.currentTokenLocation().getByteOffset();
                parser.skipChildren(); // numbers, booleans and null are complete once their token is read
                int end = (int) parser.currentLocation().getByteOffset();
                return new String(body, start, end - start, StandardCharsets.UTF_8);
            }
            parser.skipChildren();
        }
        throw new IllegalStateException("no member " + wanted);
    }
}
