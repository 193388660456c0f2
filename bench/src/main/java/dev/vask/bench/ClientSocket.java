package dev.vask.bench;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.util.ReferenceCountUtil;
import org.jspecify.annotations.Nullable;

/**
 * One Pusher client: Netty's handshaker does the WebSocket upgrade and masks what the client sends;
 * inbound frames are read straight from the socket's bytes (server frames are unmasked), so thousands
 * of subscribers cost the load generator little per event: an event frame is counted and its send time
 * read from its data without decoding the frame into objects.
 */
final class ClientSocket extends ChannelInboundHandlerAdapter {

    private static final int HANDSHAKING = 0;
    private static final int AWAITING_ESTABLISHED = 1;
    private static final int AWAITING_SUBSCRIBED = 2;
    private static final int SUBSCRIBED = 3;
    private static final byte[] EVENT_PREFIX = "{\"event\":\"e\",".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DATA_KEY = "\"data\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_FRAME = 1 << 20;

    private final Fleet fleet;
    private final String channelName;
    private @Nullable WebSocketClientHandshaker handshaker;
    private int state = HANDSHAKING;
    private @Nullable ByteBuf partial;

    ClientSocket(Fleet fleet, String channelName, WebSocketClientHandshaker handshaker) {
        this.fleet = fleet;
        this.channelName = channelName;
        this.handshaker = handshaker;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        handshaker.handshake(ctx.channel());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        if (message instanceof ByteBuf bytes) {
            onBytes(ctx, bytes);
            return;
        }
        try {
            if (message instanceof FullHttpResponse response && state == HANDSHAKING) {
                try {
                    handshaker.finishHandshake(ctx.channel(), response);
                }
                catch (RuntimeException e) {
                    failed(ctx, "WebSocket handshake failed: " + response.status() + " " + e.getMessage());
                    return;
                }
                handshaker = null;
                // from here on this handler reads the frames itself
                ctx.pipeline().remove("ws-decoder");
                state = AWAITING_ESTABLISHED;
            }
        }
        finally {
            ReferenceCountUtil.release(message);
        }
    }

    private void onBytes(ChannelHandlerContext ctx, ByteBuf bytes) {
        ByteBuf in = bytes;
        if (partial != null) {
            partial.writeBytes(bytes);
            bytes.release();
            in = partial;
        }
        while (true) {
            int readable = in.readableBytes();
            if (readable < 2) {
                break;
            }
            int at = in.readerIndex();
            int opcode = in.getUnsignedByte(at) & 0x0f;
            int length = in.getUnsignedByte(at + 1) & 0x7f;
            int header = 2;
            if (length == 126) {
                if (readable < 4) {
                    break;
                }
                length = in.getUnsignedShort(at + 2);
                header = 4;
            }
            else if (length == 127) {
                if (readable < 10) {
                    break;
                }
                long longLength = in.getLong(at + 2);
                if (longLength > MAX_FRAME) {
                    fleet.load.stats.error("frame of " + longLength + " bytes");
                    ctx.close();
                    return;
                }
                length = (int) longLength;
                header = 10;
            }
            if (readable < header + length) {
                break;
            }
            in.readerIndex(at + header + length);
            onFrame(ctx, opcode, in, at + header, length);
            if (!ctx.channel().isActive()) {
                break;
            }
        }
        if (in == partial) {
            if (partial.isReadable()) {
                partial.discardReadBytes();
            }
            else {
                partial.release();
                partial = null;
            }
        }
        else {
            if (in.isReadable()) {
                partial = ctx.alloc().heapBuffer(Math.max(512, in.readableBytes() * 2));
                partial.writeBytes(in);
            }
            in.release();
        }
    }

    private void onFrame(ChannelHandlerContext ctx, int opcode, ByteBuf in, int offset, int length) {
        switch (opcode) {
            case 1 -> {
                if (state == SUBSCRIBED && startsWith(in, offset, length, EVENT_PREFIX)) {
                    onEvent(in, offset, length);
                }
                else {
                    onSystemFrame(ctx, in.toString(offset, length, StandardCharsets.UTF_8));
                }
            }
            case 8 -> {
                int code = length >= 2 ? in.getUnsignedShort(offset) : 1005;
                String reason = length > 2 ? in.toString(offset + 2, length - 2, StandardCharsets.UTF_8) : "";
                if (!fleet.closing) {
                    fleet.load.stats.unexpectedClose("close frame " + code + " " + reason);
                }
                if (state != SUBSCRIBED) {
                    failed(ctx, "closed by the server with " + code + " " + reason);
                }
                ctx.close();
            }
            case 9 -> ctx.writeAndFlush(new PongWebSocketFrame(Unpooled.copiedBuffer(in.slice(offset, length))));
            default -> { }
        }
    }

    private void onEvent(ByteBuf in, int offset, int length) {
        Stats stats = fleet.load.stats;
        stats.deliveries++;
        if (!stats.recording) {
            return;
        }
        int data = indexOf(in, offset + EVENT_PREFIX.length, offset + length, DATA_KEY);
        if (data < 0) {
            return;
        }
        long sent = 0;
        int end = offset + length;
        for (int i = data + DATA_KEY.length; i < end; i++) {
            int digit = in.getByte(i) - '0';
            if (digit < 0 || digit > 9) {
                break;
            }
            sent = sent * 10 + digit;
        }
        if (sent != 0) {
            stats.latency.recordValue(Math.max(0, (System.nanoTime() - sent) / 1000));
        }
    }

    private void onSystemFrame(ChannelHandlerContext ctx, String text) {
        if (text.contains("\"pusher:connection_established\"") && state == AWAITING_ESTABLISHED) {
            state = AWAITING_SUBSCRIBED;
            ctx.writeAndFlush(new TextWebSocketFrame("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"" + channelName + "\"}}"));
        }
        else if (text.contains("\"pusher_internal:subscription_succeeded\"") && state == AWAITING_SUBSCRIBED) {
            state = SUBSCRIBED;
            fleet.subscribed(ctx.channel());
        }
        else if (text.contains("\"pusher:ping\"")) {
            ctx.writeAndFlush(new TextWebSocketFrame("{\"event\":\"pusher:pong\",\"data\":{}}"));
        }
        else if (text.contains("\"pusher:error\"") || text.contains("\"pusher:subscription_error\"")) {
            fleet.load.stats.error(text);
            if (state != SUBSCRIBED) {
                failed(ctx, text);
            }
        }
    }

    private void failed(ChannelHandlerContext ctx, String why) {
        if (state >= 0) {
            state = -1;
            fleet.failed(why);
        }
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (partial != null) {
            partial.release();
            partial = null;
        }
        if (state == SUBSCRIBED && !fleet.closing) {
            fleet.load.stats.unexpectedClose("socket closed by the server");
        }
        if (state >= 0 && state != SUBSCRIBED) {
            state = -1;
            fleet.failed("socket closed before subscription_succeeded");
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!fleet.closing) {
            fleet.load.stats.error("socket error: " + cause);
        }
        ctx.close();
    }

    private static boolean startsWith(ByteBuf in, int offset, int length, byte[] prefix) {
        if (length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (in.getByte(offset + i) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(ByteBuf in, int from, int to, byte[] needle) {
        outer:
        for (int i = from; i <= to - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (in.getByte(i + j) != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
