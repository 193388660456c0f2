package dev.vask.server.sdk;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.google.gson.Gson;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.pusher.rest.Pusher;
import com.pusher.rest.data.PresenceUser;
import com.pusher.rest.data.Result;
import dev.vask.testing.browser.Chromium;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * pusher-js, the browser SDK most of our users run, exactly as npm publishes it, in headless Chromium against
 * the whole Vask server: configured with nothing but wsHost, wsPort and forceTLS: false. The backend side is
 * what a customer's backend does: it signs channel access with the official pusher-http-java and triggers
 * events through the HTTP API. Each page is one browser tab of one user.
 */
class PusherJsInTheBrowserTests {

    private static final String APP_ID = "4711";
    private static final String APP_KEY = "browser-app-key";
    private static final String APP_SECRET = "browser-app-secret-0123456789abcdef";
    /** The encryption master key of the customer's backend: Vask never sees it. */
    private static final String ENCRYPTION_MASTER_KEY = "c2VjcmV0LWVuY3J5cHRpb24ta2V5LW9mLTMyLWJ5dGU=";
    private static final Path PUSHER_JS = Path.of("target", "pusher-js", "package", "dist", "web", "pusher-with-encryption.min.js");
    private static final Gson JSON = new Gson();

    private static RunningVask vask;
    private static int port;
    private static Pusher backend;
    private static Playwright playwright;
    private static Browser browser;

    private BrowserContext browserContext;
    private final List<String> pageErrors = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startVaskAndChromium() {
        assertThat(PUSHER_JS).as("pusher-js, unpacked by the build (generate-test-resources)").isRegularFile();
        vask = RunningVask.start(APP_ID, APP_KEY, APP_SECRET);
        port = vask.port();

        backend = new Pusher(APP_ID, APP_KEY, APP_SECRET, ENCRYPTION_MASTER_KEY);
        backend.setHost("127.0.0.1:" + port);
        backend.setEncrypted(false);

        playwright = Playwright.create();
        browser = Chromium.launch(playwright);
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        if (playwright != null) {
            playwright.close();
        }
        if (backend != null) {
            backend.close();
        }
        if (vask != null) {
            vask.close();
        }
    }

    @BeforeEach
    void newBrowserContext() {
        browserContext = browser.newContext();
    }

    @AfterEach
    void closeBrowserContext() {
        browserContext.close();
        assertThat(pageErrors).as("script errors in the pages").isEmpty();
    }

    @Test
    void connectsWithOnlyHostPortAndTlsOffAndReceivesEventsOnAPublicChannel() {
        Page tab = openTab("anonymous");
        String socketId = (String) tab.evaluate("() => pusher.connection.socket_id");
        assertThat(socketId).matches("\\d+\\.\\d+");
        subscribe(tab, "orders");

        trigger("orders", "order-shipped", "{\"id\":42}");

        assertThat(received(tab, 1)).containsExactly(Map.of("channel", "orders", "event", "order-shipped", "data", Map.of("id", 42)));
    }

    @Test
    void privateChannelAuthorizedByTheBackendReceivesEventsAndNotTheExcludedSocket() {
        Page alice = openTab("alice");
        Page bob = openTab("bob");
        subscribe(alice, "private-invoices");
        subscribe(bob, "private-invoices");
        String aliceSocket = (String) alice.evaluate("() => pusher.connection.socket_id");

        Result result = backend.trigger(List.of("private-invoices"), "invoice-paid", Map.of("amount", 10), aliceSocket);
        assertThat(result.getHttpStatus()).isEqualTo(200);

        assertThat(received(bob, 1)).extracting(event -> event.get("event")).containsExactly("invoice-paid");
        // the sentinel, published after the backend had its answer, reaches alice after anything of the first
        assertThat(backend.trigger(List.of("private-invoices"), "sentinel", Map.of()).getHttpStatus()).isEqualTo(200);
        assertThat(received(alice, 1)).extracting(event -> event.get("event")).containsExactly("sentinel");
    }

    @Test
    void presenceChannelShowsOneMemberPerUserAndTellsOthersWhoJoinsAndLeaves() {
        Page alice = openTab("alice");
        subscribe(alice, "presence-room");
        assertThat(alice.evaluate("() => channel('presence-room').members.count")).isEqualTo(1);

        Page bob = openTab("bob");
        subscribe(bob, "presence-room");
        Page bobsSecondTab = openTab("bob");
        subscribe(bobsSecondTab, "presence-room");

        assertThat(bob.evaluate("() => channel('presence-room').members.count")).isEqualTo(2);
        assertThat(bob.evaluate("() => channel('presence-room').members.me.info.name")).isEqualTo("Bob");
        // a member_added for the second tab would leave its event loop as it joined; its client event leaves later
        sendSentinel(bobsSecondTab, "presence-room");
        awaitSentinel(alice);
        assertThat(alice.evaluate("() => membersAdded")).isEqualTo(List.of("bob")); // bob's second tab is no new member

        // alice and bob's two tabs, once earlier tests' sockets are gone; then the server has let go of bob's first
        // tab (and would have published its member_removed) when the count drops to two
        await().atMost(Duration.ofSeconds(5)).until(() -> vask.connections() == 3);
        bob.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> vask.connections() == 2);
        sendSentinel(bobsSecondTab, "presence-room");
        awaitSentinel(alice);
        assertThat(alice.evaluate("() => membersRemoved")).isEqualTo(List.of()); // bob is still here in his other tab
        bobsSecondTab.close();
        alice.waitForFunction("() => membersRemoved.length === 1");
        assertThat(alice.evaluate("() => channel('presence-room').members.count")).isEqualTo(1);
    }

    @Test
    void clientEventsReachTheOtherTabsButNeverTheSender() {
        Page alice = openTab("alice");
        Page bob = openTab("bob");
        subscribe(alice, "presence-chat");
        subscribe(bob, "presence-chat");

        assertThat(alice.evaluate("() => channel('presence-chat').trigger('client-typing', { typing: true })")).isEqualTo(true);

        List<Map<String, Object>> bobGot = received(bob, 1);
        assertThat(bobGot.getFirst()).containsEntry("event", "client-typing").containsEntry("data", Map.of("typing", true));
        assertThat(bob.evaluate("() => typingUsers")).isEqualTo(List.of("alice"));
        // bob answers; had alice's own event come back to her, it would have been on its way before the answer
        sendSentinel(bob, "presence-chat");
        assertThat(received(alice, 1)).extracting(event -> event.get("event")).containsExactly("client-sentinel");
    }

    @Test
    void encryptedChannelDecryptsInTheBrowserWhatTheBackendEncrypted() {
        Page alice = openTab("alice");
        subscribe(alice, "private-encrypted-diagnosis");

        trigger("private-encrypted-diagnosis", "result", "{\"secret\":\"only for alice\"}");

        assertThat(received(alice, 1).getFirst()).containsEntry("data", Map.of("secret", "only for alice"));
    }

    @Test
    void signedInUserReceivesServerToUserEventsAndWatchlistChanges() {
        Page alice = openTab("alice");
        alice.evaluate("() => signin()");
        // signed in, and pusher-js has joined the user's own channel for server-to-user events
        alice.waitForFunction("() => pusher.user.user_data && pusher.user.serverToUserChannel?.subscribed");

        Result toUser = backend.post("/users/alice/events", JSON.toJson(Map.of("name", "reminder", "data", "{\"text\":\"hi\"}")));
        assertThat(toUser.getHttpStatus()).isEqualTo(200);
        alice.waitForFunction("() => userEvents.length === 1");
        assertThat(alice.evaluate("() => userEvents[0]")).isEqualTo(Map.of("text", "hi"));

        Page bob = openTab("bob");
        bob.evaluate("() => signin()");
        alice.waitForFunction("() => online.includes('bob')");
        bob.close();
        alice.waitForFunction("() => offline.includes('bob')");
    }

    @Test
    void pusherJsHearsTheWebPushKeyRightAfterConnectingAndAtOnceWhenItRotates() {
        String first = vask.enableWebPush();
        vask.awaitApp(app -> app.vapidKey() != null);
        Page tab = openTab("pushy");
        tab.waitForFunction("() => vapid.length >= 1");
        @SuppressWarnings("unchecked")
        Map<String, Object> heard = (Map<String, Object>) tab.evaluate("() => vapid[0]");
        assertThat(heard).containsEntry("type", "vapid").containsEntry("event", "changed").containsEntry("key", first);
        assertThat((String) heard.get("at")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z");

        String second = vask.rotateVapidKey();
        assertThat(second).isNotEqualTo(first);
        tab.waitForFunction("(key) => vapid.some(e => e.key === key)", second);
        assertThat(tab.evaluate("() => vapid[vapid.length - 1].key")).isEqualTo(second);

        Page late = openTab("late");
        late.waitForFunction("() => vapid.length >= 1");
        assertThat(late.evaluate("() => vapid.map(e => e.key)")).isEqualTo(List.of(second));
    }

    /** A tab with pusher-js loaded and connected as the given user. */
    private Page openTab(String user) {
        Page tab = browserContext.newPage();
        tab.onPageError(error -> pageErrors.add(user + ": " + error));
        tab.exposeFunction("authorizeChannel", args -> authorizeChannel((String) args[0], (String) args[1], user));
        tab.exposeFunction("authenticateUser", args -> authenticateUser((String) args[0], user));
        tab.addScriptTag(new Page.AddScriptTagOptions().setPath(PUSHER_JS));
        tab.evaluate("""
                ([key, port]) => new Promise((resolve, reject) => {
                  window.received = []; window.membersAdded = []; window.membersRemoved = [];
                  window.userEvents = []; window.typingUsers = []; window.online = []; window.offline = []; window.vapid = [];
                  window.pusher = new Pusher(key, {
                    wsHost: '127.0.0.1', wsPort: port, forceTLS: false, cluster: 'vask',
                    channelAuthorization: { customHandler: async ({ socketId, channelName }, callback) =>
                        callback(null, JSON.parse(await authorizeChannel(socketId, channelName))) },
                    userAuthentication: { customHandler: async ({ socketId }, callback) =>
                        callback(null, JSON.parse(await authenticateUser(socketId))) },
                  });
                  window.channel = (name) => pusher.channel(name);
                  pusher.bind('vask:vapid', (event) => vapid.push(event));
                  window.signin = () => {
                    pusher.user.bind('reminder', (data) => userEvents.push(data));
                    pusher.user.watchlist.bind('online', (e) => online.push(...e.user_ids));
                    pusher.user.watchlist.bind('offline', (e) => offline.push(...e.user_ids));
                    pusher.signin();
                  };
                  pusher.connection.bind('connected', () => resolve());
                  pusher.connection.bind('failed', () => reject(new Error('pusher-js could not connect')));
                })""", List.of(APP_KEY, port));
        return tab;
    }

    private static void subscribe(Page tab, String channelName) {
        tab.evaluate("""
                (name) => new Promise((resolve, reject) => {
                  const channel = pusher.subscribe(name);
                  channel.bind_global((event, data) => {
                    if (event.startsWith('pusher:') || event.startsWith('pusher_internal:')) return;
                    received.push({ channel: name, event, data });
                  });
                  // pusher-js hands the sender of a client event to event bindings only, as metadata
                  channel.bind('client-typing', (data, metadata) => typingUsers.push(metadata.user_id));
                  channel.bind('pusher:member_added', (member) => membersAdded.push(member.id));
                  channel.bind('pusher:member_removed', (member) => membersRemoved.push(member.id));
                  channel.bind('pusher:subscription_succeeded', () => resolve());
                  channel.bind('pusher:subscription_error', (error) => reject(new Error(JSON.stringify(error))));
                })""", channelName);
    }

    /** A client event the tab sends on the channel: the sentinel other tabs wait for. */
    private static void sendSentinel(Page tab, String channel) {
        assertThat(tab.evaluate("(name) => channel(name).trigger('client-sentinel', {})", channel)).isEqualTo(true);
    }

    /** Waits until the tab received one more sentinel than it had seen. */
    private static void awaitSentinel(Page tab) {
        tab.waitForFunction("() => received.filter(e => e.event === 'client-sentinel').length > (window.sentinelsSeen || 0)");
        tab.evaluate("() => { window.sentinelsSeen = received.filter(e => e.event === 'client-sentinel').length; }");
    }

    /** Waits for this many events in the tab, then answers what it received. */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> received(Page tab, int count) {
        if (count > 0) {
            tab.waitForFunction("(count) => received.length >= count", count);
        }
        return (List<Map<String, Object>>) tab.evaluate("() => received");
    }

    private static void trigger(String channel, String event, String json) {
        Result result = backend.trigger(channel, event, JSON.fromJson(json, Map.class));
        assertThat(result.getHttpStatus()).as(result.getMessage()).isEqualTo(200);
    }

    /** What a customer's auth endpoint answers, made with the official server SDK. */
    private static String authorizeChannel(String socketId, String channel, String user) {
        if (channel.startsWith("presence-")) {
            return backend.authenticate(socketId, channel, new PresenceUser(user, Map.of("name", capitalized(user))));
        }
        return backend.authenticate(socketId, channel);
    }

    /** The user sign-in signature over socket_id::user::user_data (pusher-http-java 1.3.4 has no helper for it). */
    private static String authenticateUser(String socketId, String user) {
        String userData = JSON.toJson(Map.of("id", user, "watchlist", List.of("alice", "bob")));
        return JSON.toJson(Map.of("auth", APP_KEY + ":" + hmac(socketId + "::user::" + userData), "user_data", userData));
    }

    private static String hmac(String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(APP_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        }
        catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String capitalized(String user) {
        return Character.toUpperCase(user.charAt(0)) + user.substring(1);
    }
}
