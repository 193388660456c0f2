package dev.vask.server.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * HTTP/1.1 on a bare socket, kept alive between requests: it sends exactly the bytes it is given (paths,
 * query strings and headers no HTTP library would let through) and reads the answer, or notices the server
 * closed instead. A read that times out is a hang, which the fuzzers report.
 */
final class RawHttp implements AutoCloseable {

    private final String host;
    private final int port;
    private final Duration timeout;
    private @Nullable Socket socket;

    RawHttp(String host, int port, Duration timeout) {
        this.host = host;
        this.port = port;
        this.timeout = timeout;
    }

    /** The answer, or {@code null} when the server closed the connection without one. */
    record Response(int status, String headers, byte[] body) {

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    @Nullable Response send(String method, String target, String headers, byte[] body) throws IOException {
        String head = method + " " + target + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\n" + headers
                + "Content-Length: " + body.length + "\r\n\r\n";
        Socket connection = connection();
        try {
            OutputStream out = connection.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
        }
        catch (SocketException closed) {
            reset();
            return null;
        }
        try {
            Response response = read(connection.getInputStream(), method.equals("HEAD"));
            if (response == null || response.headers.toLowerCase(Locale.ROOT).contains("\nconnection: close")) {
                reset();
            }
            return response;
        }
        catch (EOFException | SocketException closed) {
            reset();
            return null;
        }
    }

    private Socket connection() throws IOException {
        if (socket == null || socket.isClosed()) {
            socket = new Socket(host, port);
            socket.setSoTimeout((int) timeout.toMillis());
            socket.setTcpNoDelay(true);
        }
        return socket;
    }

    private void reset() throws IOException {
        if (socket != null) {
            socket.close();
            socket = null;
        }
    }

    private static @Nullable Response read(InputStream in, boolean headRequest) throws IOException {
        String head = readHead(in);
        if (head == null) {
            return null;
        }
        int status = Integer.parseInt(head.substring(9, 12));
        String lower = head.toLowerCase(Locale.ROOT);
        byte[] body;
        if (headRequest || status == 204 || status == 304 || status / 100 == 1) {
            body = new byte[0];
        }
        else if (lower.contains("\ntransfer-encoding: chunked")) {
            body = readChunked(in);
        }
        else {
            int at = lower.indexOf("\ncontent-length:");
            if (at >= 0) {
                int end = lower.indexOf('\r', at + 1);
                body = in.readNBytes(Integer.parseInt(lower.substring(at + "\ncontent-length:".length(), end).trim()));
            }
            else {
                body = in.readAllBytes(); // no length: the body ends with the connection
            }
        }
        return new Response(status, head, body);
    }

    private static @Nullable String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                if (head.size() == 0) {
                    return null;
                }
                throw new EOFException("connection closed inside a response head");
            }
            head.write(b);
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : b == '\r' ? 1 : 0;
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private static byte[] readChunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String size = readLine(in);
            int length = Integer.parseInt(size.split(";")[0].trim(), 16);
            if (length == 0) {
                readLine(in);
                return body.toByteArray();
            }
            body.write(in.readNBytes(length));
            readLine(in);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new EOFException("connection closed inside a chunk");
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    @Override
    public void close() throws IOException {
        reset();
    }
}
