package dev.vask.realtime.app;

/**
 * Something about apps changed (toggle, limit, key created or revoked, app disabled or deleted).
 * Receivers read the app again with {@link AppDirectory#findById(AppId)}; an empty result means
 * the app was deleted.
 */
public sealed interface AppChange {

    /** One app changed. */
    record Changed(AppId app) implements AppChange {
    }

    /**
     * Any app may have changed: the directory lost its change feed for a while and cannot know what
     * it missed. Receivers re-read every app they hold.
     */
    record Unknown() implements AppChange {
    }

    static AppChange of(AppId app) {
        return new Changed(app);
    }

    static AppChange unknown() {
        return new Unknown();
    }
}
