package dev.vask.realtime.connection;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;

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
        int header = length < 126 ? 2 : length < 65536 ? 4 : 10;
        ByteBuf frame = allocator.directBuffer(header + length);
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
