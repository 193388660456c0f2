package dev.vask.realtime.connection;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

/**
 * Complete WebSocket text frames (server to client: unmasked, FIN set), built once and written as
 * they are to every receiving socket. The WebSocket encoder in each pipeline passes a ByteBuf through
 * untouched, so a broadcast costs one encoding, not one per subscriber.
 */
final class WireFrames {

    private WireFrames() {
    }

    static ByteBuf text(ByteBufAllocator allocator, CharSequence json) {
        int length = ByteBufUtil.utf8Bytes(json);
        return write(allocator.directBuffer(headerLength(length) + length), json, length);
    }

    /**
     * A frame held for a long time and shared by every socket that is ever sent it (the app's {@code vask:vapid}
     * event): never released by a writer (each write takes a duplicate), in a JDK direct buffer that the garbage
     * collector frees once nobody holds it, so replacing it needs no coordination with writes in flight, and a
     * socket write copies nothing (a heap buffer would be copied to direct memory on every write).
     */
    static ByteBuf shared(CharSequence json) {
        int length = ByteBufUtil.utf8Bytes(json);
        ByteBuf frame = Unpooled.wrappedBuffer(java.nio.ByteBuffer.allocateDirect(headerLength(length) + length)).clear();
        return Unpooled.unreleasableBuffer(write(frame, json, length));
    }

    private static int headerLength(int length) {
        return length < 126 ? 2 : length < 65536 ? 4 : 10;
    }

    private static ByteBuf write(ByteBuf frame, CharSequence json, int length) {
        frame.writeByte(0x81); // FIN + text opcode
        if (length < 126) {
            frame.writeByte(length);
        }
        else if (length < 65536) {
            frame.writeByte(126);
            frame.writeShort(length);
        }
        else {
            frame.writeByte(127);
            frame.writeLong(length);
        }
        ByteBufUtil.reserveAndWriteUtf8(frame, json, length);
        return frame;
    }
}
