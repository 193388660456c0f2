package dev.vask.realtime.presence;

import java.util.List;

import reactor.core.publisher.Mono;

/**
 * Membership of presence channels, keyed by (app, channel, user). A user with several sockets on a
 * channel is one member: {@link #join} reports whether the user appeared and {@link #leave} whether it
 * left, so member_added and member_removed fire once per user, not once per socket.
 *
 * <p>Implementations: {@link LocalPresenceStore} (one node); a clustered store later (entries of dead
 * nodes expire).
 *
 * <p>Every membership change gets a version from one increasing sequence, and {@link JoinResult} tells
 * the version its member list reflects. A socket drops member events it already saw in its list: the
 * event of a user who joined just before it may reach it after its own join, and must not announce
 * that user twice.
 */
public interface PresenceStore {

    /**
     * Adds a socket of a user. The first socket of a user keeps its {@code user_info}; later sockets
     * of the same user do not change it (there is no protocol event for "info changed").
     * Refused ({@link JoinResult#full()}) when the user is not a member yet and the channel already
     * has {@code maxMembers} members.
     */
    Mono<JoinResult> join(ChannelKey channel, PresenceMember member, String socketId, int maxMembers);

    /**
     * Removes a socket. Emits the version of the user's departure when it was the user's last socket on
     * the channel (announce member_removed), and 0 when the user is still there on another socket.
     */
    Mono<Long> leave(ChannelKey channel, String userId, String socketId);

    /** The current members, in join order; empty when nobody is there. */
    Mono<List<PresenceMember>> members(ChannelKey channel);
}
