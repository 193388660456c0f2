package dev.vask.testing.wire;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

import org.jspecify.annotations.Nullable;

/**
 * A WebSocket client on a bare TCP socket that writes whatever bytes a test asks for: frames with any opcode,
 * FIN bit, mask, declared length and payload, including the ones RFC 6455 forbids. It reads the server's
 * frames as they are, so a test can assert the exact close code, or that the server closed without one.
 */
public final class WireSocket implements AutoCloseable {

    public static final int TEXT = 0x1;
    public static final int BINARY = 0x2;
    public static final int CONTINUATION = 0x0;
    public static final int CLOSE = 0x8;
    public static final int PING = 0x9;
    public static final int PONG = 0xA;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private WireSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** A frame as the server sent it. {@code closeCode} is set for close frames with a body. */
    public record Frame(int opcode, boolean fin, byte[] payload) {

        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        public @Nullable Integer closeCode() {
            return opcode == CLOSE && payload.length >= 2 ? (payload[0] & 0xff) << 8 | payload[1] & 0xff : null;
        }

        public String closeReason() {
            return opcode == CLOSE && payload.length > 2 ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
        }
    }

    /** Connects and upgrades {@code path} (for example {@code /app/KEY?protocol=7}); fails unless the answer is 101. */
    public static WireSocket open(String host, int port, String path, Duration timeout) throws IOException {
        Socket socket = new Socket(host, port);
        socket.setSoTimeout((int) timeout.toMillis());
        socket.setTcpNoDelay(true);
        WireSocket wire = new WireSocket(socket);
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        wire.out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        String head = wire.readHead();
        if (!head.startsWith("HTTP/1.1 101")) {
            socket.close();
            throw new IOException("upgrade refused: " + head.lines().findFirst().orElse(head));
        }
        return wire;
    }

    /** A masked frame with the FIN bit set. */
    public WireSocket send(int opcode, byte[] payload) throws IOException {
        return send(opcode, true, true, payload.length, payload);
    }

    public WireSocket sendText(String text) throws IOException {
        return send(TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Writes one frame exactly as described: {@code declaredLength} may differ from the payload's length
     * (a lie the server must survive), and {@code masked} false sends it unmasked (a protocol error from a client).
     */
    public WireSocket send(int opcode, boolean fin, boolean masked, long declaredLength, byte[] payload) throws IOException {
        out.write(frame(opcode, fin, masked, declaredLength, payload));
        out.flush();
        return this;
    }

    /** Raw bytes, for what no frame builder would produce. */
    public WireSocket sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    public static byte[] frame(int opcode, boolean fin, boolean masked, long declaredLength, byte[] payload) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
        frame.write((fin ? 0x80 : 0) | opcode & 0x0f);
        int maskBit = masked ? 0x80 : 0;
        if (declaredLength < 126) {
            frame.write(maskBit | (int) declaredLength);
        }
        else if (declaredLength <= 0xffff) {
            frame.write(maskBit | 126);
            frame.write((int) (declaredLength >>> 8) & 0xff);
            frame.write((int) declaredLength & 0xff);
        }
        else {
            frame.write(maskBit | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) (declaredLength >>> shift) & 0xff);
            }
        }
        byte[] body = payload.clone();
        if (masked) {
            byte[] mask = new byte[4];
            ThreadLocalRandom.current().nextBytes(mask);
            frame.writeBytes(mask);
            for (int i = 0; i < body.length; i++) {
                body[i] ^= mask[i & 3];
            }
        }
        frame.writeBytes(body);
        return frame.toByteArray();
    }

    /** The next frame from the server. @throws EOFException when the server closed the TCP connection first */
    public Frame next() throws IOException {
        int first = read();
        int second = read();
        long length = second & 0x7f;
        if (length == 126) {
            length = (long) read() << 8 | read();
        }
        else if (length == 127) {
            length = 0;
            for (int i = 0; i < 8; i++) {
                length = length << 8 | read();
            }
        }
        if ((second & 0x80) != 0) {
            throw new IOException("the server sent a masked frame");
        }
        if (length > 16 * 1024 * 1024) {
            throw new IOException("the server sent a frame of " + length + " bytes");
        }
        return new Frame(first & 0x0f, (first & 0x80) != 0, in.readNBytes((int) length));
    }

    /** Frames until a close frame, which it returns; {@code null} when the TCP connection ended without one. */
    public @Nullable Frame awaitClose() throws IOException {
        try {
            while (true) {
                Frame frame = next();
                if (frame.opcode() == CLOSE) {
                    return frame;
                }
            }
        }
        catch (EOFException | java.net.SocketException ended) {
            return null;
        }
    }

    /** Frames until a text frame holding {@code marker}; fails on close or timeout. */
    public Frame awaitText(String marker) throws IOException {
        while (true) {
            Frame frame = next();
            if (frame.opcode() == CLOSE) {
                throw new IOException("closed with " + frame.closeCode() + " " + frame.closeReason() + " while waiting for " + marker);
            }
            if (frame.opcode() == TEXT && frame.text().contains(marker)) {
                return frame;
            }
        }
    }

    /** Whether the server has closed the TCP connection (reads EOF within the socket's timeout). */
    public boolean isClosedByServer() throws IOException {
        try {
            while (true) {
                next();
            }
        }
        catch (EOFException | java.net.SocketException ended) {
            return true;
        }
        catch (SocketTimeoutException open) {
            return false;
        }
    }

    private int read() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("connection closed by the server");
        }
        return b;
    }

    private String readHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = read();
            head.write(b);
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : b == '\r' ? 1 : 0;
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
