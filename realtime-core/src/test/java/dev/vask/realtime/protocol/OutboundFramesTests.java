package dev.vask.realtime.protocol;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class OutboundFramesTests {

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void connectionEstablishedDataIsAJsonEncodedString() {
        assertThat(OutboundFrames.connectionEstablished("123.456", 120))
                .isEqualTo("{\"event\":\"pusher:connection_established\",\"data\":\"{\\\"socket_id\\\":\\\"123.456\\\",\\\"activity_timeout\\\":120}\"}");
    }

    @Test
    void errorDataIsAnObjectWithCodeAndMessage() {
        assertThat(OutboundFrames.error(PusherError.APP_NOT_FOUND, "App key abc does not exist"))
                .isEqualTo("{\"event\":\"pusher:error\",\"data\":{\"code\":4001,\"message\":\"App key abc does not exist\"}}");
    }

    @Test
    void presenceSubscriptionSucceededHasIdsHashAndCount() {
        String frame = OutboundFrames.presenceSubscriptionSucceeded("presence-room",
                List.of(Map.entry("42", "{\"name\":\"Ada\"}"), Map.entry("7", "null")));
        String data = json.readTree(frame).get("data").asString();
        assertThat(data).isEqualTo("{\"presence\":{\"ids\":[\"42\",\"7\"],\"hash\":{\"42\":{\"name\":\"Ada\"},\"7\":null},\"count\":2}}");
    }

    @Test
    void everyStringIsEscapedIntoValidJson() {
        String nasty = "quote\" backslash\\ newline\n tab\t control\u0001 line-sep\u2028 lone\uD800 emoji\uD83D\uDE80";
        String frame = OutboundFrames.event("e", "c", JsonText.quote(nasty), null);
        assertThat(json.readTree(frame).get("data").asString()).isEqualTo(nasty.replace("\uD800", "\uD800"));
        assertThat(JsonText.quote("\uD83D\uDE80")).isEqualTo("\"\uD83D\uDE80\"");
        assertThat(JsonText.quote("\uD800")).isEqualTo("\"\\ud800\"");
    }

    @Test
    void everyCloseCodeSaysWhetherItClosesTheConnection() {
        for (PusherError error : PusherError.values()) {
            assertThat(error.closesConnection()).as(error.name()).isEqualTo(error.code() < 4300);
            assertThat(error.code()).isBetween(4000, 4399);
        }
    }
}
