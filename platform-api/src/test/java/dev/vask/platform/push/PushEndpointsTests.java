package dev.vask.platform.push;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

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
    void retryAfterIsSecondsOrAnHttpDate() {
        assertThat(PushDelivery.retryAfter("7")).isEqualTo(Duration.ofSeconds(7));
        assertThat(PushDelivery.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).isEqualTo(Duration.ZERO);
        assertThat(PushDelivery.retryAfter("soon")).isNull();
        assertThat(PushDelivery.retryAfter(null)).isNull();
    }
}
