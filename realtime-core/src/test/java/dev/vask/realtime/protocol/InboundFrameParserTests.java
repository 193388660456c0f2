package dev.vask.realtime.protocol;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InboundFrameParserTests {

    @Test
    void subscribeFrameExposesItsStringDataFields() throws Exception {
        InboundFrame frame = InboundFrameParser.parse(
                "{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"presence-a\",\"auth\":\"k:s\",\"channel_data\":\"{\\\"user_id\\\":1}\"}}");
        assertThat(frame.event()).isEqualTo("pusher:subscribe");
        assertThat(frame.dataField("channel")).isEqualTo("presence-a");
        assertThat(frame.dataField("channel_data")).isEqualTo("{\"user_id\":1}");
    }

    @Test
    void dataIsKeptAsTheExactTextReceivedWhateverItsType() throws Exception {
        assertThat(InboundFrameParser.parse("{\"event\":\"client-a\",\"data\": {\"x\" : 1.50 , \"y\":[1, 2]} ,\"channel\":\"c\"}").data())
                .isEqualTo("{\"x\" : 1.50 , \"y\":[1, 2]}");
        assertThat(InboundFrameParser.parse("{\"event\":\"client-a\",\"data\":\"a \\\"quoted\\\" \\u00e9\"}").data())
                .isEqualTo("\"a \\\"quoted\\\" \\u00e9\"");
        assertThat(InboundFrameParser.parse("{\"data\":12.500e3,\"event\":\"client-a\"}").data()).isEqualTo("12.500e3");
        assertThat(InboundFrameParser.parse("{\"event\":\"client-a\",\"data\":null}").data()).isEqualTo("null");
        assertThat(InboundFrameParser.parse("{\"event\":\"client-a\"}").data()).isNull();
    }

    @Test
    void nonStringDataFieldsAreReportedAsSuch() throws Exception {
        InboundFrame frame = InboundFrameParser.parse("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"c\",\"channel_data\":{\"user_id\":1}}}");
        assertThat(frame.dataField("channel_data")).isNull();
        assertThat(frame.dataFieldIsNotAString("channel_data")).isTrue();
    }

    @Test
    void anythingButOneJsonObjectWithAStringEventIsInvalid() {
        for (String text : new String[] {"", "x", "[]", "{}", "{\"event\":1}", "{\"event\":\"\"}", "{\"event\":\"a\"} {}",
                "{\"event\":\"a\",\"event\":\"b\"}", "{\"event\":\"a\",\"data\":{\"channel\":\"x\",\"channel\":\"y\"}}", "{\"event\":\"a\""}) {
            assertThatThrownBy(() -> InboundFrameParser.parse(text)).as(text).isInstanceOf(InvalidFrameException.class)
                    .hasMessageStartingWith("Invalid message: ");
        }
    }
}
