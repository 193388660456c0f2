package dev.vask.realtime.connection;

import java.util.Collection;
import java.util.Set;

import dev.vask.realtime.app.AppId;
import reactor.core.publisher.Mono;

/**
 * What the hub reports about this node's sockets so that whole-app answers stay right: subscription counts,
 * signed-in users (watchlists' online and offline). On one node the hub is the whole app and answers itself;
 * in a cluster the report goes to Redis ({@code RedisNodeActivity}). Methods are called on event loops and
 * must not block.
 */
public interface NodeActivity {

    /** This node's number of subscribers of the channel changed; {@link Hub#subscriptionCount} has the new value. */
    void subscriptionsChanged(AppId app, String channel);

    /** Sends the channel's {@code pusher_internal:subscription_count} to its subscribers, on every node. */
    void announceSubscriptionCount(AppId app, String channel, int countOnThisNode);

    /** The user's first socket on this node signed in; when it is its first anywhere, watchers hear it is online. */
    void userSignedIn(AppId app, String userId);

    /** The user's last socket on this node signed out; when it was its last anywhere, watchers hear it is offline. */
    void userSignedOut(AppId app, String userId);

    /** Which of these users have a signed-in socket anywhere. */
    Mono<Set<String>> online(AppId app, Collection<String> userIds);
}
