package dev.vask.realtime.auth;

import java.util.List;

import dev.vask.realtime.app.AppConfig;
import dev.vask.realtime.app.AppCredential;
import dev.vask.realtime.app.AppFeatures;
import dev.vask.realtime.app.AppId;
import dev.vask.realtime.app.AppLimits;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The test vectors of shared/reference/pusher-protocol.md §10 (Pusher's documentation example app). */
class SignatureVerifierTests {

    private static final String KEY = "278d425bdf160c739803";
    private static final String SECRET = "7ad3773142a6692b25b8";
    private static final AppConfig APP = new AppConfig(new AppId(3), "docs", true, List.of(new AppCredential(KEY, SECRET)),
            AppFeatures.NONE, AppLimits.DEFAULTS);

    @Test
    void privateChannelVectorMatchesPushersDocumentation() {
        String auth = KEY + ":58df8b0c36d6982b82c3ecf6b4662e34fe8c25bba48f5369f135bf843651c3a4";
        assertThat(SignatureVerifier.channelAuthValid(APP, auth, "1234.1234", "private-foobar", null)).isTrue();
        assertThat(SignatureVerifier.channelAuthValid(APP, auth, "1234.1235", "private-foobar", null)).isFalse();
        assertThat(SignatureVerifier.channelAuthValid(APP, auth, "1234.1234", "private-foobaz", null)).isFalse();
    }

    @Test
    void presenceVectorsCoverTheExactChannelData() {
        assertThat(SignatureVerifier.channelAuthValid(APP, KEY + ":31935e7d86dba64c2a90aed31fdc61869f9b22ba9d8863bba239c03ca481bc80",
                "1234.1234", "presence-foobar", "{\"user_id\":10,\"user_info\":{\"name\":\"Mr. Channels\"}}")).isTrue();
        // the value Pusher's docs publish is for the older text "Mr. Pusher"
        assertThat(SignatureVerifier.channelAuthValid(APP, KEY + ":afaed3695da2ffd16931f457e338e6c9f2921fa133ce7dac49f529792be6304c",
                "1234.1234", "presence-foobar", "{\"user_id\":10,\"user_info\":{\"name\":\"Mr. Pusher\"}}")).isTrue();
        assertThat(SignatureVerifier.channelAuthValid(APP, KEY + ":6a67472fc8789e0f93c4cad4c39dbd0aa5960ad3e22d108ee908fb5944f86e1c",
                "1234.1234", "presence-room", "{\"user_id\":\"42\",\"user_info\":{\"name\":\"Ada\"}}")).isTrue();
        // the same JSON with other whitespace is another string: the signature no longer matches
        assertThat(SignatureVerifier.channelAuthValid(APP, KEY + ":6a67472fc8789e0f93c4cad4c39dbd0aa5960ad3e22d108ee908fb5944f86e1c",
                "1234.1234", "presence-room", "{\"user_id\": \"42\",\"user_info\":{\"name\":\"Ada\"}}")).isFalse();
    }

    @Test
    void userSigninVectorsMatch() {
        assertThat(SignatureVerifier.userAuthValid(APP, KEY + ":4708d583dada6a56435fb8bc611c77c359a31eebde13337c16ab43aa6de336ba",
                "1234.1234", "{\"id\":\"12345\"}")).isTrue();
        assertThat(SignatureVerifier.userAuthValid(APP, KEY + ":f642a84e33d7f5d9d1a1701db1b72827d7cf2c013b2c9641486693b0c56cf1a6",
                "1234.1234", "{\"id\":\"42\",\"user_info\":{\"name\":\"Ada\"},\"watchlist\":[\"7\",\"9\"]}")).isTrue();
    }

    @Test
    void httpApiSignatureVectorMatches() {
        String toSign = "POST\n/apps/3/events\nauth_key=278d425bdf160c739803&auth_timestamp=1353088179&auth_version=1.0&body_md5=ec365a775a4cd0599faeb73354201b6f";
        assertThat(SignatureVerifier.hmacHex(SECRET, toSign)).isEqualTo("da454824c97ba181a32ccc17a72625ba02771f50b50e1e7430e47a1f3f457e6c");
    }

    @Test
    void authWithAnUnknownOrRevokedKeyOrMalformedValueIsRejected() {
        String valid = "58df8b0c36d6982b82c3ecf6b4662e34fe8c25bba48f5369f135bf843651c3a4";
        assertThat(SignatureVerifier.channelAuthValid(APP, "other-key:" + valid, "1234.1234", "private-foobar", null)).isFalse();
        assertThat(SignatureVerifier.channelAuthValid(APP, valid, "1234.1234", "private-foobar", null)).isFalse();
        assertThat(SignatureVerifier.channelAuthValid(APP, KEY + ":", "1234.1234", "private-foobar", null)).isFalse();
        assertThat(SignatureVerifier.channelAuthValid(APP, null, "1234.1234", "private-foobar", null)).isFalse();
        assertThat(SignatureVerifier.channelAuthValid(APP, KEY + ":" + valid.toUpperCase(), "1234.1234", "private-foobar", null)).isFalse();
    }
}
