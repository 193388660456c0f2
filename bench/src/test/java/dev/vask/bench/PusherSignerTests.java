package dev.vask.bench;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PusherSignerTests {

    @Test
    void signsThePublishExampleOfTheProtocolReference() {
        // protocol reference §10 (c), Pusher's documented worked example
        PusherSigner signer = new PusherSigner("278d425bdf160c739803", "7ad3773142a6692b25b8");
        byte[] body = "{\"name\":\"foo\",\"channels\":[\"project-3\"],\"data\":\"{\\\"some\\\":\\\"data\\\"}\"}"
                .getBytes(StandardCharsets.UTF_8);

        String query = signer.signedQuery("POST", "/apps/3/events", body, 1353088179);

        assertThat(query).isEqualTo("auth_key=278d425bdf160c739803&auth_timestamp=1353088179&auth_version=1.0"
                + "&body_md5=ec365a775a4cd0599faeb73354201b6f"
                + "&auth_signature=da454824c97ba181a32ccc17a72625ba02771f50b50e1e7430e47a1f3f457e6c");
    }

    @Test
    void signsChannelAccessLikeTheProtocolReferenceVectors() {
        // protocol reference §10 (a) and (b)
        PusherSigner signer = new PusherSigner("278d425bdf160c739803", "7ad3773142a6692b25b8");

        assertThat(signer.auth("1234.1234:private-foobar"))
                .isEqualTo("278d425bdf160c739803:58df8b0c36d6982b82c3ecf6b4662e34fe8c25bba48f5369f135bf843651c3a4");
        assertThat(signer.auth("1234.1234:presence-foobar:{\"user_id\":10,\"user_info\":{\"name\":\"Mr. Channels\"}}"))
                .isEqualTo("278d425bdf160c739803:31935e7d86dba64c2a90aed31fdc61869f9b22ba9d8863bba239c03ca481bc80");
    }

    @Test
    void aGetRequestsOwnParametersAreSortedIntoTheSignedQuery() {
        PusherSigner signer = new PusherSigner("278d425bdf160c739803", "7ad3773142a6692b25b8");

        String query = signer.signedQuery("GET", "/apps/3/channels", new byte[0], 1353088179,
                java.util.Map.of("filter_by_prefix", "presence-", "info", "user_count"));

        // the string to sign, signed by hand with the same secret, gives the same signature
        String toSign = "GET\n/apps/3/channels\nauth_key=278d425bdf160c739803&auth_timestamp=1353088179&auth_version=1.0"
                + "&filter_by_prefix=presence-&info=user_count";
        assertThat(query).isEqualTo("auth_key=278d425bdf160c739803&auth_timestamp=1353088179&auth_version=1.0"
                + "&filter_by_prefix=presence-&info=user_count&auth_signature=" + signer.auth(toSign).substring("278d425bdf160c739803:".length()));
    }
}
