package dev.vask.realtime.capacity;

import java.util.Locale;

/**
 * Why new work is refused: a resource is past its threshold.
 *
 * @param resource what ran short
 * @param used the share of its limit in use when last sampled (0 to 1)
 * @param threshold the share past which new work is refused
 */
public record Overload(Resource resource, double used, double threshold) {

    /** A sentence for the refused client: what ran short, without figures an attacker could use to tune a flood. */
    public String message() {
        return switch (resource) {
            case HEAP -> "Over capacity: this server is short of memory (heap); retry shortly";
            case DIRECT_MEMORY -> "Over capacity: this server is short of memory (direct buffers); retry shortly";
            case FILE_DESCRIPTORS -> "Over capacity: this server is out of connections (file descriptors); retry shortly";
        };
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s at %.0f%% (threshold %.0f%%)", resource.tag(), used * 100, threshold * 100);
    }
}
