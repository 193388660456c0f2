package dev.vask.realtime.connection;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker13;
import org.jspecify.annotations.Nullable;

/**
 * Netty's RFC 6455 frame decoder, but a bad close frame is reported as RFC 6455 §7.4 says: a close code that
 * may not be sent (999, 1005, 1006, 1015...) as 1002, a reason that is not UTF-8 as 1007. The connection
 * answers with that code ({@code Connection.exceptionCaught}); Netty would drop the connection without a close
 * frame once it has seen the peer's close, which a client cannot tell from a crash.
 */
final class StrictFrameDecoder extends WebSocket13FrameDecoder {

    StrictFrameDecoder(WebSocketDecoderConfig config) {
        super(config);
    }

    @Override
    protected void checkCloseFrameBody(ChannelHandlerContext ctx, @Nullable ByteBuf buffer) {
        if (buffer == null || buffer.readableBytes() < 2) {
            return; // an empty close is valid; a one-byte body is refused with 1002 from the frame header already
        }
        int code = buffer.getUnsignedShort(buffer.readerIndex());
        if (!maySend(code)) {
            fail(ctx, WebSocketCloseStatus.PROTOCOL_ERROR, "Close code " + code + " may not be sent");
        }
        if (buffer.readableBytes() > 2
                && !ByteBufUtil.isText(buffer, buffer.readerIndex() + 2, buffer.readableBytes() - 2, StandardCharsets.UTF_8)) {
            fail(ctx, WebSocketCloseStatus.INVALID_PAYLOAD_DATA, "The close reason is not UTF-8");
        }
    }

    /** RFC 6455 §7.4: the defined codes but 1004-1006 (reserved, or never sent), the registered 1012-1014, and 3000-4999. */
    static boolean maySend(int code) {
        return code >= 1000 && code <= 1003 || code >= 1007 && code <= 1014 || code >= 3000 && code <= 4999;
    }

    /** The connection answers with the status as the close code ({@code Connection.exceptionCaught}). */
    private static void fail(ChannelHandlerContext ctx, WebSocketCloseStatus status, String reason) {
        throw new CorruptedWebSocketFrameException(status, reason);
    }

    /** The RFC 6455 (version 13) handshaker, decoding with {@link StrictFrameDecoder}. */
    static final class Handshaker extends WebSocketServerHandshaker13 {

        Handshaker(String webSocketUrl, WebSocketDecoderConfig config) {
            super(webSocketUrl, null, config);
        }

        @Override
        protected WebSocketFrameDecoder newWebsocketDecoder() {
            return new StrictFrameDecoder(decoderConfig());
        }
    }
}
