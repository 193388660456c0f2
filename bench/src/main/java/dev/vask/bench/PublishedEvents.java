package dev.vask.bench;

import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The events of a Pusher HTTP API request body, as the yardsticks read them: {@code POST /apps/{id}/events}
 * ({@code name}, {@code channels} or {@code channel}, {@code data}) and {@code POST /apps/{id}/batch_events}
 * ({@code batch}: a list of {@code name}, {@code channel}, {@code data}). Nothing is checked: the yardsticks
 * measure what a server must do, not what Vask must also do.
 */
final class PublishedEvents {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    record Event(String name, String channel, String data) {
    }

    private PublishedEvents() {
    }

    /** Whether the path is one the yardsticks publish on (the query string may follow). */
    static boolean isPublish(String uri) {
        return uri.startsWith("/apps/") && (uri.contains("/events") || uri.contains("/batch_events"));
    }

    static List<Event> parse(String uri, String body) {
        JsonNode root = JSON.readTree(body);
        List<Event> events = new ArrayList<>(1);
        if (uri.contains("/batch_events")) {
            for (JsonNode event : root.path("batch")) {
                events.add(new Event(event.path("name").asString(), event.path("channel").asString(), event.path("data").asString()));
            }
            return events;
        }
        String name = root.path("name").asString();
        String data = root.path("data").asString();
        if (root.has("channels")) {
            for (JsonNode channel : root.get("channels")) {
                events.add(new Event(name, channel.asString(), data));
            }
        }
        else {
            events.add(new Event(name, root.path("channel").asString(), data));
        }
        return events;
    }

    /** The frame every server writes for an event: {@code {"event":..,"channel":..,"data":..}}. */
    static String frame(Event event) {
        return "{\"event\":" + JsonText.quote(event.name()) + ",\"channel\":" + JsonText.quote(event.channel()) + ",\"data\":"
                + JsonText.quote(event.data()) + "}";
    }
}
