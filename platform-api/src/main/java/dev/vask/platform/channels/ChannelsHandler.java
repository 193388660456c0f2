package dev.vask.platform.channels;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import dev.vask.platform.signature.AuthenticatedRequest;
import dev.vask.platform.signature.PusherApiAuthentication;
import dev.vask.platform.signature.PusherApiException;
import dev.vask.realtime.api.ChannelInfo;
import dev.vask.realtime.api.ChannelQueries;
import dev.vask.realtime.channel.ChannelName;
import dev.vask.realtime.channel.ChannelType;
import dev.vask.realtime.cluster.ClusterUnavailableException;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * {@code GET /apps/{app}/channels}, {@code /channels/{channel}} and {@code /channels/{channel}/users}:
 * channel state read from the same state the sockets use. Asking for an attribute a channel does not
 * have is a 400, as on Pusher ({@code user_count} is for presence channels, {@code cache} for cache
 * channels); {@code subscription_count} is available on every channel.
 */
final class ChannelsHandler {

    private final PusherApiAuthentication authentication;
    private final ChannelQueries channels;

    ChannelsHandler(PusherApiAuthentication authentication, ChannelQueries channels) {
        this.authentication = authentication;
        this.channels = channels;
    }

    Mono<ServerResponse> list(ServerRequest request) {
        return authentication.respond(request, auth -> {
            String prefix = auth.request().param("filter_by_prefix");
            Set<String> info = InfoAttributes.parse(auth.request().param("info"), InfoAttributes.FOR_CHANNEL_LIST, "");
            if (info.contains("user_count") && (prefix == null || !prefix.startsWith("presence-"))) {
                throw PusherApiException.badRequest("info=user_count needs filter_by_prefix starting with presence-");
            }
            return channels.channels(auth.app().id(), prefix == null || prefix.isEmpty() ? null : prefix)
                    .onErrorMap(ClusterUnavailableException.class, ChannelsHandler::unavailable).flatMap(occupied -> {
                Map<String, Object> body = new LinkedHashMap<>();
                occupied.forEach((name, state) -> {
                    Map<String, Object> attributes = new LinkedHashMap<>();
                    if (info.contains("user_count") && state.userCount() != null) {
                        attributes.put("user_count", state.userCount());
                    }
                    if (info.contains("subscription_count")) {
                        attributes.put("subscription_count", state.subscriptionCount());
                    }
                    body.put(name, attributes);
                });
                return ok(Map.of("channels", body));
            });
        });
    }

    Mono<ServerResponse> channel(ServerRequest request) {
        return authentication.respond(request, auth -> {
            ChannelName channel = channelName(request);
            Set<String> info = InfoAttributes.parse(auth.request().param("info"), InfoAttributes.FOR_CHANNEL, "");
            InfoAttributes.requireAvailable(info, java.util.List.of(channel), "");
            return channels.channel(auth.app().id(), channel).onErrorMap(ClusterUnavailableException.class, ChannelsHandler::unavailable)
                    .flatMap(state -> ok(channelBody(state, info, auth)));
        });
    }

    Mono<ServerResponse> users(ServerRequest request) {
        return authentication.respond(request, auth -> {
            ChannelName channel = channelName(request);
            if (channel.type() != ChannelType.PRESENCE) {
                throw PusherApiException.badRequest("Users can only be listed for presence channels");
            }
            return channels.users(auth.app().id(), channel).onErrorMap(ClusterUnavailableException.class, ChannelsHandler::unavailable)
                    .flatMap(ids -> ok(Map.of("users", ids.stream().map(id -> Map.of("id", id)).toList())));
        });
    }

    /** Channel state lives in the cluster's Redis: without it, a retryable 503 rather than a wrong answer. */
    private static PusherApiException unavailable(ClusterUnavailableException error) {
        return new PusherApiException(org.springframework.http.HttpStatus.SERVICE_UNAVAILABLE,
                "Channel state cannot be read right now: Vask cannot reach its Redis. Retry shortly.");
    }

    private static Map<String, Object> channelBody(ChannelInfo state, Set<String> info, AuthenticatedRequest auth) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("occupied", state.occupied());
        if (info.contains("user_count")) {
            body.put("user_count", state.userCount() == null ? 0 : state.userCount());
        }
        if (info.contains("subscription_count")) {
            body.put("subscription_count", state.subscriptionCount());
        }
        if (info.contains("cache")) {
            body.put("cache", state.cache() == null ? null
                    : Map.of("event", state.cache().event(), "data", decodedData(state.cache().dataJson()),
                            "ttl", state.cache().ttlSeconds(System.currentTimeMillis())));
        }
        return body;
    }

    /** Cached data is held as JSON text of a string; the API shows the string itself. */
    private static String decodedData(String dataJson) {
        return tools.jackson.databind.json.JsonMapper.builder().build().readValue(dataJson, String.class);
    }

    private static ChannelName channelName(ServerRequest request) {
        String name = rawChannelSegment(request);
        return ChannelName.parse(name)
                .filter(channel -> channel.type() != ChannelType.SERVER_TO_USER)
                .orElseThrow(() -> PusherApiException.badRequest("Invalid channel name: " + ChannelName.problem(name)));
    }

    /**
     * The channel as the client wrote it in the path. Not the path variable: WebFlux reads {@code ;} in a
     * segment as the start of matrix parameters, and {@code ;} is a valid channel character.
     */
    private static String rawChannelSegment(ServerRequest request) {
        String path = request.requestPath().value(); // /apps/{app}/channels/{channel}[/users]
        int start = path.indexOf('/', "/apps/".length()) + "/channels/".length();
        int end = path.indexOf('/', start);
        String segment = end < 0 ? path.substring(start) : path.substring(start, end);
        return org.springframework.web.util.UriUtils.decode(segment, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static Mono<ServerResponse> ok(Object body) {
        return ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(body);
    }
}
