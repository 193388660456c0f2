package dev.vask.realtime.presence;

import java.time.Duration;
import java.util.List;

import dev.vask.realtime.app.AppId;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What every {@link PresenceStore} must do; each implementation runs this whole class. */
abstract class PresenceStoreContractTests {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private final ChannelKey room = new ChannelKey(new AppId(1), "presence-room");

    protected abstract PresenceStore createStore();

    @Test
    void firstSocketOfAUserIsANewMemberAndTheSecondIsNot() {
        PresenceStore store = createStore();
        JoinResult first = store.join(room, new PresenceMember("u", "{\"n\":1}"), "1.1", 100).block(WAIT);
        JoinResult second = store.join(room, new PresenceMember("u", "{\"n\":2}"), "1.2", 100).block(WAIT);
        assertThat(first.newMember()).isTrue();
        assertThat(second.newMember()).isFalse();
        assertThat(second.members()).containsExactly(new PresenceMember("u", "{\"n\":1}"));
    }

    @Test
    void userLeavesOnlyWithItsLastSocket() {
        PresenceStore store = createStore();
        store.join(room, new PresenceMember("u", "null"), "1.1", 100).block(WAIT);
        store.join(room, new PresenceMember("u", "null"), "1.2", 100).block(WAIT);
        assertThat(store.leave(room, "u", "1.1").block(WAIT)).as("still there on 1.2").isZero();
        assertThat(store.leave(room, "u", "1.1").block(WAIT)).isZero();
        assertThat(store.leave(room, "u", "1.2").block(WAIT)).as("gone: the version of the departure").isPositive();
        assertThat(store.members(room).block(WAIT)).isEmpty();
    }

    @Test
    void everyMembershipChangeHasAHigherVersionThanTheListsBeforeIt() {
        PresenceStore store = createStore();
        JoinResult a = store.join(room, new PresenceMember("a", "null"), "1.1", 100).block(WAIT);
        JoinResult secondSocketOfA = store.join(room, new PresenceMember("a", "null"), "1.2", 100).block(WAIT);
        JoinResult b = store.join(room, new PresenceMember("b", "null"), "1.3", 100).block(WAIT);
        assertThat(secondSocketOfA.version()).as("a's list already shows a's join").isGreaterThanOrEqualTo(a.version());
        assertThat(b.version()).isGreaterThan(a.version());
        store.leave(room, "b", "1.3").block(WAIT);
        store.leave(room, "a", "1.1").block(WAIT);
        long aLeft = store.leave(room, "a", "1.2").block(WAIT);
        assertThat(aLeft).isGreaterThan(b.version());
        // the channel emptied; a new list still has a higher version than every change before it
        JoinResult again = store.join(room, new PresenceMember("c", "null"), "1.4", 100).block(WAIT);
        assertThat(again.version()).isGreaterThan(aLeft);
    }

    @Test
    void fullChannelRefusesNewUsersButNotMoreSocketsOfMembers() {
        PresenceStore store = createStore();
        store.join(room, new PresenceMember("a", "null"), "1.1", 2).block(WAIT);
        store.join(room, new PresenceMember("b", "null"), "1.2", 2).block(WAIT);
        assertThat(store.join(room, new PresenceMember("c", "null"), "1.3", 2).block(WAIT).accepted()).isFalse();
        assertThat(store.join(room, new PresenceMember("a", "null"), "1.4", 2).block(WAIT).accepted()).isTrue();
        assertThat(store.members(room).block(WAIT)).extracting(PresenceMember::userId).containsExactly("a", "b");
    }

    @Test
    void channelsOfDifferentAppsNeverShareMembers() {
        PresenceStore store = createStore();
        store.join(room, new PresenceMember("a", "null"), "1.1", 100).block(WAIT);
        ChannelKey sameNameOtherApp = new ChannelKey(new AppId(2), "presence-room");
        assertThat(store.members(sameNameOtherApp).block(WAIT)).isEqualTo(List.of());
    }
}
