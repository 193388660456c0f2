package dev.vask.realtime.presence;

import java.util.List;

/**
 * The outcome of {@link PresenceStore#join}.
 *
 * @param accepted false when the channel is full (the user was not in it and the limit is reached)
 * @param newMember true when this socket is the user's first on the channel: announce member_added
 * @param members every member after the join, the joining user included, in join order
 * @param version the membership version {@code members} reflects; when {@code newMember}, the version of
 *        this join, which its member_added carries
 */
public record JoinResult(boolean accepted, boolean newMember, List<PresenceMember> members, long version) {

    public static JoinResult full() {
        return new JoinResult(false, false, List.of(), 0);
    }
}
