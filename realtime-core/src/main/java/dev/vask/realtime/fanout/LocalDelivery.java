package dev.vask.realtime.fanout;

/** Delivers an event to the subscribers connected to this node. Must not block. */
@FunctionalInterface
public interface LocalDelivery {

    void deliver(ChannelEvent event);
}
