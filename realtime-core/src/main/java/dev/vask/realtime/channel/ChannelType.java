package dev.vask.realtime.channel;

/** What a channel's name prefix makes it. Cache variants are a flag on {@link ChannelName}. */
public enum ChannelType {

    /** No prefix (or {@code cache-}): anyone with the app key may subscribe. */
    PUBLIC,
    /** {@code private-}: subscription needs a signature from the app's auth endpoint. */
    PRIVATE,
    /** {@code private-encrypted-}: private, and payloads are end-to-end encrypted by the customer. */
    ENCRYPTED,
    /** {@code presence-}: private, plus a member list keyed by user id. */
    PRESENCE,
    /** {@code #server-to-user-{id}}: the events of one signed-in user. */
    SERVER_TO_USER;

    /** Subscribing needs a channel auth signature. */
    public boolean requiresAuth() {
        return this == PRIVATE || this == ENCRYPTED || this == PRESENCE;
    }

    /** Clients may trigger {@code client-} events here (never public, never encrypted). */
    public boolean allowsClientEvents() {
        return this == PRIVATE || this == PRESENCE;
    }
}
