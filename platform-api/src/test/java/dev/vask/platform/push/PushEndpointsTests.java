package dev.vask.platform.push;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The SSRF guard's address rules and URL form, and Retry-After parsing. */
class PushEndpointsTests {

    @Test
    void onlyPublicAddressesArePublic() throws Exception {
        for (String address : List.of("127.0.0.1", "10.0.0.1", "172.16.5.4", "192.168.0.1", "169.254.169.254", "0.0.0.0", "100.64.1.1",
                "224.0.0.251", "255.255.255.255", "198.18.0.1", "::1", "::", "fe80::1", "fd12:3456::1", "fc00::1", "ff02::1",
                "::ffff:10.0.0.1", "::ffff:127.0.0.1", "2001:db8::1")) {
            assertThat(PushEndpoints.isPublic(InetAddress.getByName(address))).as(address).isFalse();
        }
        for (String address : List.of("8.8.8.8", "142.250.74.46", "2a00:1450:4001:82b::200a", "2606:4700::6810:85e5")) {
            assertThat(PushEndpoints.isPublic(InetAddress.getByName(address))).as(address).isTrue();
        }
    }

    @Test
    void productionAcceptsHttpsOnlyAndTheAllowListAlsoHttp() {
        PushEndpoints production = new PushEndpoints(List.of());
        assertThat(production.parse("https://fcm.googleapis.com/fcm/send/abc").getHost()).isEqualTo("fcm.googleapis.com");
        assertThatThrownBy(() -> production.parse("http://fcm.googleapis.com/fcm/send/abc")).hasMessage("endpoint must be an https URL");
        assertThatThrownBy(() -> production.parse("ftp://x/y")).hasMessage("endpoint must be an https URL");
        assertThatThrownBy(() -> production.parse("/relative")).hasMessageContaining("absolute https URL");
        assertThatThrownBy(() -> production.parse("https://user:pw@push.example.com/x")).hasMessageContaining("user info");
        assertThatThrownBy(() -> production.parse("https://push.example.com/" + "x".repeat(2048))).hasMessageContaining("2048");
        assertThatThrownBy(() -> production.checkAddresses(production.parse("https://127.0.0.1:8443/x")).block())
                .hasMessageContaining("non-public address (127.0.0.1)");
        PushEndpoints tests = new PushEndpoints(List.of("127.0.0.1"));
        assertThat(tests.parse("http://127.0.0.1:9000/push/1").getPort()).isEqualTo(9000);
        tests.checkAddresses(tests.parse("http://127.0.0.1:9000/push/1")).block();
        assertThatThrownBy(() -> tests.parse("http://localhost:9000/push/1")).hasMessage("endpoint must be an https URL");
    }

    @Test
    void aConnectionOpensOnlyToPublicAddressesOrAnAllowedHost() throws Exception {
        PushEndpoints endpoints = new PushEndpoints(List.of("push.test"));
        InetSocketAddress publicAddress = new InetSocketAddress(InetAddress.getByAddress("push.example.com", new byte[] {8, 8, 8, 8}), 443);
        InetSocketAddress privateAddress = new InetSocketAddress(InetAddress.getByAddress("push.example.com", new byte[] {10, 0, 0, 7}), 443);
        InetSocketAddress allowedPrivate = new InetSocketAddress(InetAddress.getByAddress("push.test", new byte[] {127, 0, 0, 1}), 80);
        assertThat(endpoints.connectable(List.of(publicAddress))).isEqualTo(List.of(publicAddress));
        assertThat(endpoints.connectable(List.of(privateAddress))).isEmpty();
        assertThat(endpoints.connectable(List.of(publicAddress, privateAddress))).as("one private answer refuses them all").isEmpty();
        assertThat(endpoints.connectable(List.of(allowedPrivate))).isEqualTo(List.of(allowedPrivate));
    }

    /**
     * DNS rebinding: a name whose check before the send saw public addresses, resolving to a private one when the
     * connection opens. Here "localhost" plays that name (pushes never check it, this client is called directly): the
     * delivery client opens no connection to it, while the same client does reach the same listener as an allowed host.
     */
    @Test
    void theDeliveryClientOpensNoConnectionToANameThatResolvesToAPrivateAddress() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            AtomicInteger accepted = new AtomicInteger();
            Thread.ofVirtual().start(() -> {
                while (true) {
                    try (Socket socket = listener.accept()) {
                        accepted.incrementAndGet(); // counted before the answer, so before the client hears anything
                        answerCreated(socket);
                    }
                    catch (IOException closed) {
                        return;
                    }
                }
            });
            HttpClient client = PushConfiguration.httpClient(PushProperties.defaults(), new PushEndpoints(List.of("127.0.0.1")));
            int port = listener.getLocalPort();
            assertThat(post(client, "http://127.0.0.1:" + port + "/push/sentinel").block(Duration.ofSeconds(10))).isEqualTo(201);
            assertThat(accepted).hasValue(1);

            assertThatThrownBy(() -> post(client, "https://localhost:" + port + "/push/rebound").block(Duration.ofSeconds(10)))
                    .rootCause().isInstanceOf(UnknownHostException.class).hasMessageContaining("Failed to resolve");
            assertThat(accepted).as("no connection beyond the sentinel's").hasValue(1);
        }
    }

    /** Reads a request head (the requests here have no body) and answers 201, closing the connection. */
    private static void answerCreated(Socket socket) throws IOException {
        var in = socket.getInputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                return;
            }
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        socket.getOutputStream().write("HTTP/1.1 201 Created\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
    }

    private static Mono<Integer> post(HttpClient client, String url) {
        return client.post().uri(url).send(Mono.empty()).response().map(response -> response.status().code());
    }

    @Test
    void retryAfterIsSecondsOrAnHttpDate() {
        assertThat(PushDelivery.retryAfter("7")).isEqualTo(Duration.ofSeconds(7));
        assertThat(PushDelivery.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).isEqualTo(Duration.ZERO);
        assertThat(PushDelivery.retryAfter("soon")).isNull();
        assertThat(PushDelivery.retryAfter(null)).isNull();
    }
}
