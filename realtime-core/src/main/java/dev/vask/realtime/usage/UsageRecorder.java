package dev.vask.realtime.usage;

import dev.vask.realtime.app.AppId;

/**
 * What realtime reports about each app's usage, for per-day usage figures and quotas.
 *
 * <p>Called on event-loop threads, on the hot path: implementations must only add to in-memory
 * counters (aggregate, flush elsewhere) and never block, allocate much, or throw.
 */
public interface UsageRecorder {

    /** A socket of the app was accepted on this node; {@code openOnNode} counts it. */
    void connectionOpened(AppId app, int openOnNode);

    /** A socket of the app closed on this node; {@code openOnNode} no longer counts it. */
    void connectionClosed(AppId app, int openOnNode);

    /** A client event was accepted and published. */
    void clientEvent(AppId app);

    /** {@code frames} event frames were written to sockets of the app (one per receiving socket). */
    void delivered(AppId app, int frames);

    /** Something the app's clients sent was refused: over a limit, bad auth, malformed frame. */
    void rejected(AppId app);

    /** Records nothing. */
    UsageRecorder NONE = new UsageRecorder() {
        @Override public void connectionOpened(AppId app, int openOnNode) { }
        @Override public void connectionClosed(AppId app, int openOnNode) { }
        @Override public void clientEvent(AppId app) { }
        @Override public void delivered(AppId app, int frames) { }
        @Override public void rejected(AppId app) { }
    };
}
