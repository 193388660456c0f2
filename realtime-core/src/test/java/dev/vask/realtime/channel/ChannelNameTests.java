package dev.vask.realtime.channel;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ChannelNameTests {

    @Test
    void prefixesAreClassifiedLongestFirst() {
        assertThat(ChannelName.parse("private-encrypted-cache-x").orElseThrow()).isEqualTo(new ChannelName("private-encrypted-cache-x", ChannelType.ENCRYPTED, true));
        assertThat(ChannelName.parse("private-encrypted-x").orElseThrow().type()).isEqualTo(ChannelType.ENCRYPTED);
        assertThat(ChannelName.parse("private-cache-x").orElseThrow()).isEqualTo(new ChannelName("private-cache-x", ChannelType.PRIVATE, true));
        assertThat(ChannelName.parse("private-x").orElseThrow().type()).isEqualTo(ChannelType.PRIVATE);
        assertThat(ChannelName.parse("presence-cache-x").orElseThrow()).isEqualTo(new ChannelName("presence-cache-x", ChannelType.PRESENCE, true));
        assertThat(ChannelName.parse("presence-x").orElseThrow().type()).isEqualTo(ChannelType.PRESENCE);
        assertThat(ChannelName.parse("cache-x").orElseThrow()).isEqualTo(new ChannelName("cache-x", ChannelType.PUBLIC, true));
        assertThat(ChannelName.parse("x").orElseThrow()).isEqualTo(new ChannelName("x", ChannelType.PUBLIC, false));
        assertThat(ChannelName.parse("#server-to-user-42").orElseThrow().serverToUserId()).isEqualTo("42");
    }

    @Test
    void namesOutsideTheAllowedCharactersOrLengthAreInvalid() {
        assertThat(ChannelName.parse("A-z_0-9=@,.;")).isPresent();
        assertThat(ChannelName.parse("a".repeat(200))).isPresent();
        for (String bad : new String[] {"", "a".repeat(201), "a b", "a/b", "a#b", "#other", "#server-to-user-", "#server-to-user-a b", "é"}) {
            assertThat(ChannelName.parse(bad)).as(bad).isEmpty();
        }
    }

    @Test
    void clientEventsOnlyOnPrivateAndPresence() {
        assertThat(ChannelType.PRIVATE.allowsClientEvents()).isTrue();
        assertThat(ChannelType.PRESENCE.allowsClientEvents()).isTrue();
        assertThat(ChannelType.PUBLIC.allowsClientEvents()).isFalse();
        assertThat(ChannelType.ENCRYPTED.allowsClientEvents()).isFalse();
        assertThat(ChannelType.SERVER_TO_USER.allowsClientEvents()).isFalse();
    }
}
