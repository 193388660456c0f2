package dev.vask.realtime.capacity;

/** What admission control watches; {@link #tag()} is its value in metrics and in refusals. */
public enum Resource {

    /** Heap in use right after the latest garbage collection, against {@code -Xmx}. */
    HEAP("heap"),
    /** Direct (off-heap) memory of Netty's buffers and the JDK's direct buffers, against the direct memory limit. */
    DIRECT_MEMORY("direct_memory"),
    /** Open file descriptors (sockets included), against the process's open-file limit. */
    FILE_DESCRIPTORS("file_descriptors");

    private final String tag;

    Resource(String tag) {
        this.tag = tag;
    }

    public String tag() {
        return tag;
    }
}
