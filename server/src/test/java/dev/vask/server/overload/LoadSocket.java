package dev.vask.server.overload;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A WebSocket of the JDK's HTTP client, light enough to hold a thousand from one test JVM (one selector thread
 * for all of them): it keeps every text frame it receives, and how the server closed it.
 */
final class LoadSocket implements WebSocket.Listener {

    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private volatile @Nullable String closeReason;
    private @Nullable WebSocket socket;
    private @Nullable String socketId;

    /**
     * Opens {@code /app/{key}?protocol=7}; fails when the handshake does (for example, the server could not accept),
     * or with {@link java.util.concurrent.TimeoutException} when it does not complete within {@code within}. A
     * handshake given up on is not left behind: should it complete later, the socket is dropped at once, or it
     * would hold one of the server's file descriptors for the rest of the test without being counted.
     */
    static LoadSocket open(HttpClient http, int port, String key, Duration within) throws Exception {
        LoadSocket listener = new LoadSocket();
        CompletableFuture<WebSocket> handshake = http.newWebSocketBuilder().connectTimeout(within)
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/app/" + key + "?protocol=7&client=overload-it"), listener);
        try {
            listener.socket = handshake.get(within.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (java.util.concurrent.TimeoutException e) {
            handshake.thenAccept(WebSocket::abort);
            handshake.cancel(true);
            throw e;
        }
        return listener;
    }

    /** The first frame: connection_established (true, and the socket id is kept) or a pusher:error (false). */
    boolean established(Duration within) {
        JsonNode first = next(within);
        if (first.get("event").asString().equals("pusher:connection_established")) {
            socketId = JSON.readTree(first.get("data").asString()).get("socket_id").asString();
            return true;
        }
        lastError = first;
        return false;
    }

    @Nullable JsonNode lastError;

    String socketId() {
        return java.util.Objects.requireNonNull(socketId, "not established");
    }

    /** Sends a text frame; fails when the server has not taken it within 30 s (it stopped reading). */
    void send(String json) {
        try {
            sendInTurn(java.util.Objects.requireNonNull(socket), json).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("the server took no frame within " + WAIT + " (it stopped reading)", e);
        }
        catch (java.util.concurrent.ExecutionException e) {
            throw new AssertionError("sending failed" + (closed.isDone() ? " (closed with " + closed.getNow(0) + ")" : ""), e.getCause());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The JDK's WebSocket takes one send at a time: a pong and the test's own frames go out in turn. */
    private synchronized CompletableFuture<?> sendInTurn(WebSocket webSocket, String json) {
        lastSend = lastSend.handle((done, error) -> null).thenCompose(ignored -> webSocket.sendText(json, true));
        return lastSend;
    }

    private CompletableFuture<?> lastSend = CompletableFuture.completedFuture(null);

    /** The next frame, failing after 30 s. */
    JsonNode next() {
        return next(WAIT);
    }

    /** The next frame, failing after {@code within}. */
    JsonNode next(Duration within) {
        try {
            String frame = frames.poll(within.toMillis(), TimeUnit.MILLISECONDS);
            if (frame == null) {
                throw new AssertionError("no frame within " + within + (closed.isDone() ? " (closed with " + closed.getNow(0) + ")" : ""));
            }
            return JSON.readTree(frame);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Skips frames until one with this event name. */
    JsonNode nextEvent(String event) {
        while (true) {
            JsonNode frame = next();
            if (frame.get("event").asString().equals(event)) {
                return frame;
            }
        }
    }

    /** The close code the server sent (-1 if the connection broke), waiting up to 30 s. */
    int awaitClose() throws Exception {
        return closed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    @Nullable String closeReason() {
        return closeReason;
    }

    /** The close code so far: null while the socket is open, -1 if the connection broke. */
    @Nullable Integer closeCode() {
        return closed.getNow(null);
    }

    /** Drops the TCP connection at once, as a client that goes away does. */
    void abort() {
        if (socket != null) {
            socket.abort();
        }
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public @Nullable CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            String frame = partial.toString();
            partial.setLength(0);
            if (frame.contains("\"pusher:ping\"")) {
                // as every Pusher client does: on a slow machine the phases can outlast the server's activity timeout,
                // and a socket that does not answer is closed, which frees its file descriptor for another
                sendInTurn(webSocket, "{\"event\":\"pusher:pong\",\"data\":{}}");
            }
            else {
                frames.add(frame);
            }
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public @Nullable CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closeReason = reason;
        closed.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.complete(-1);
    }
}
