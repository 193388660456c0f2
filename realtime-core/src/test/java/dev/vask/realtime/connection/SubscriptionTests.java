package dev.vask.realtime.connection;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A presence subscription's member list and the member events around it: an event the list already
 * shows is never written to the socket, whether it was held while pending or arrives late.
 */
class SubscriptionTests {

    @Test
    void heldMemberEventsThatTheMemberListAlreadyShowsAreDroppedAndOthersKeptInOrder() {
        Subscription subscription = new Subscription(null, null, null, null);
        ByteBuf shown = frame("member_added 42");
        ByteBuf event = frame("an event");
        ByteBuf newer = frame("member_added 7");
        assertThat(subscription.hold(shown, 5, 1 << 20)).isTrue();
        assertThat(subscription.hold(event, 0, 1 << 20)).isTrue();
        assertThat(subscription.hold(newer, 9, 1 << 20)).isTrue();

        subscription.presenceVersion = 7; // the member list sent to the socket reflects changes up to 7
        List<ByteBuf> written = subscription.activate();

        assertThat(written).extracting(buf -> buf.toString(StandardCharsets.UTF_8)).containsExactly("an event", "member_added 7");
        written.forEach(ByteBuf::release);
        for (ByteBuf original : List.of(shown, event, newer)) {
            original.release();
            assertThat(original.refCnt()).as("every held duplicate was released or handed over").isZero();
        }
    }

    @Test
    void lateMemberEventsAreJudgedByTheVersionOfTheMemberList() {
        Subscription subscription = new Subscription(null, null, null, null);
        assertThat(subscription.alreadyReflects(3)).as("list not known yet: held, decided on activation").isFalse();
        subscription.presenceVersion = 7;
        assertThat(subscription.alreadyReflects(7)).isTrue();
        assertThat(subscription.alreadyReflects(8)).isFalse();
        assertThat(subscription.alreadyReflects(0)).as("not a member event").isFalse();
    }

    private static ByteBuf frame(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
    }
}
