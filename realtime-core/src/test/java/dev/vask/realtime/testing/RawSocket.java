package dev.vask.realtime.testing;

import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A WebSocket client that shows every frame, for the edge cases the official SDKs hide
 * (error codes, close codes, spoofing, malformed frames).
 */
public final class RawSocket extends WebSocketClient {

    public static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile int closeCode = -1;
    private volatile boolean opened;
    private volatile String closeReason;
    private String socketId;

    private RawSocket(URI uri) {
        super(uri);
    }

    /** Opens {@code ws://127.0.0.1:port + path}; does not wait for connection_established. */
    public static RawSocket open(int port, String pathAndQuery) {
        RawSocket socket = new RawSocket(URI.create("ws://127.0.0.1:" + port + pathAndQuery));
        try {
            // false also when the server closes right after the handshake (an error at connect time)
            socket.connectBlocking(5, TimeUnit.SECONDS);
            assertThat(socket.opened).as("WebSocket handshake to " + pathAndQuery).isTrue();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return socket;
    }

    /** Opens a socket for the app with protocol 7 and reads connection_established. */
    public static RawSocket connect(int port, String key) {
        RawSocket socket = open(port, "/app/" + key + "?protocol=7&client=raw&version=1.0");
        JsonNode established = socket.next();
        assertThat(established.get("event").asString()).isEqualTo("pusher:connection_established");
        socket.socketId = JSON.readTree(established.get("data").asString()).get("socket_id").asString();
        return socket;
    }

    public String socketId() {
        return socketId;
    }

    public RawSocket sendJson(String json) {
        send(json);
        return this;
    }

    public RawSocket subscribe(String channel) {
        return sendJson("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"" + channel + "\"}}");
    }

    public RawSocket unsubscribe(String channel) {
        return sendJson("{\"event\":\"pusher:unsubscribe\",\"data\":{\"channel\":\"" + channel + "\"}}");
    }

    public RawSocket subscribe(String channel, String auth) {
        return sendJson("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"" + channel + "\",\"auth\":\"" + auth + "\"}}");
    }

    public RawSocket subscribePresence(String channel, String auth, String channelData) {
        return sendJson("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"" + channel + "\",\"auth\":\"" + auth
                + "\",\"channel_data\":" + JSON.writeValueAsString(channelData) + "}}");
    }

    /** Subscribes and waits for subscription_succeeded; returns that frame. */
    public JsonNode subscribed(String channel) {
        subscribe(channel);
        return nextEvent("pusher_internal:subscription_succeeded");
    }

    /** The next frame, failing after 5 seconds. */
    public JsonNode next() {
        return JSON.readTree(nextRaw());
    }

    /** The next frame's exact text, failing after 5 seconds. */
    public String nextRaw() {
        try {
            String message = messages.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(message).as("a frame within " + WAIT + " (closed with " + closeCode + ")").isNotNull();
            return message;
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Skips frames until one with this event name. */
    public JsonNode nextEvent(String event) {
        List<String> skipped = new ArrayList<>();
        while (true) {
            JsonNode frame = next();
            if (frame.get("event").asString().equals(event)) {
                return frame;
            }
            skipped.add(frame.toString());
            assertThat(skipped).as("frames before " + event).hasSizeLessThan(1000);
        }
    }

    /**
     * Proves that nothing arrived before a sentinel: the test sends the sentinel (an event of this name) after
     * whatever must not arrive, along a path that keeps their order, and the very next frame must be the
     * sentinel. Waiting a while and seeing nothing would pass on a server that is merely slow.
     */
    public JsonNode expectSentinel(String event) {
        JsonNode frame = next();
        assertThat(frame.get("event").asString()).as("the sentinel %s, with nothing before it; got %s", event, frame).isEqualTo(event);
        return frame;
    }

    /** Waits for the server to close the socket; returns the close code. */
    public int awaitClose() {
        try {
            assertThat(closed.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("socket closed by the server").isTrue();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return closeCode;
    }

    public String closeReason() {
        return closeReason;
    }

    public boolean isClosedOrClosing() {
        return isClosed() || isClosing() || closed.getCount() == 0;
    }

    public List<String> drain() {
        List<String> all = new ArrayList<>();
        messages.drainTo(all);
        return all;
    }

    @Override
    public void onOpen(ServerHandshake handshake) {
        opened = true;
    }

    @Override
    public void onMessage(String message) {
        messages.add(message);
    }

    @Override
    public void onMessage(ByteBuffer bytes) {
        messages.add("{\"event\":\"binary-frame\"}");
    }

    @Override
    public void onClose(int code, String reason, boolean remote) {
        closeCode = code;
        closeReason = reason;
        closed.countDown();
    }

    @Override
    public void onError(Exception ex) {
    }
}
