package dev.vask.platform.push;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import static dev.vask.platform.push.Rfc8291Vector.AS_PRIVATE;
import static dev.vask.platform.push.Rfc8291Vector.AS_PUBLIC;
import static dev.vask.platform.push.Rfc8291Vector.AUTH;
import static dev.vask.platform.push.Rfc8291Vector.BODY;
import static dev.vask.platform.push.Rfc8291Vector.PLAINTEXT;
import static dev.vask.platform.push.Rfc8291Vector.SALT;
import static dev.vask.platform.push.Rfc8291Vector.UA_PRIVATE;
import static dev.vask.platform.push.Rfc8291Vector.UA_PUBLIC;
import static dev.vask.platform.push.Rfc8291Vector.b;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The two P-256 implementations behind Web Push encryption give the same bytes: RFC 8291's Appendix A vector through
 * each, messages encrypted with one decrypted with the other, the same refusals of bad points. OpenSSL must load
 * here: CI installs libssl3, and a missing libcrypto fails this class instead of skipping it.
 */
class P256EcdhTests {

    private static OpenSslP256Ecdh openSsl() {
        OpenSslP256Ecdh.Loaded loaded = OpenSslP256Ecdh.load();
        assertThat(loaded.instance()).as("OpenSSL must load in tests (install libssl3): %s", loaded.problem()).isNotNull();
        return loaded.instance();
    }

    private static List<P256Ecdh> both() {
        return List.of(P256Ecdh.jdk(), openSsl());
    }

    @Test
    void openSslIsThePreferredImplementationWhereLibcryptoLoads() {
        assertThat(P256Ecdh.preferred()).isInstanceOf(OpenSslP256Ecdh.class);
        assertThat(P256Ecdh.preferred().name()).startsWith("OpenSSL 3.");
    }

    @Test
    void bothEncryptTheRfc8291VectorToItsExactBodyAndDecryptIt() {
        for (P256Ecdh ecdh : both()) {
            byte[] body = WebPushCrypto.encrypt(PLAINTEXT.getBytes(StandardCharsets.UTF_8), b(UA_PUBLIC), b(AUTH), ecdh, b(AS_PRIVATE),
                    b(AS_PUBLIC), b(SALT));
            assertThat(P256.base64url(body)).as(ecdh.name()).isEqualTo(BODY);
            byte[] plain = WebPushCrypto.decrypt(b(BODY), ecdh, b(UA_PRIVATE), b(UA_PUBLIC), b(AUTH));
            assertThat(new String(plain, StandardCharsets.UTF_8)).as(ecdh.name()).isEqualTo(PLAINTEXT);
        }
    }

    @Test
    void whatOneEncryptsTheOtherDecrypts() {
        P256Ecdh openSsl = openSsl();
        P256Ecdh jdk = P256Ecdh.jdk();
        for (int i = 0; i < 50; i++) {
            KeyPair ua = P256.generate();
            byte[] uaPublic = P256.encodePublic((ECPublicKey) ua.getPublic());
            byte[] uaPrivate = P256.encodePrivate((ECPrivateKey) ua.getPrivate());
            byte[] auth = new byte[16];
            auth[0] = (byte) i;
            byte[] payload = ("push " + i).getBytes(StandardCharsets.UTF_8);
            assertThat(WebPushCrypto.decrypt(WebPushCrypto.encrypt(payload, uaPublic, auth, openSsl), jdk, uaPrivate, uaPublic, auth)).isEqualTo(payload);
            assertThat(WebPushCrypto.decrypt(WebPushCrypto.encrypt(payload, uaPublic, auth, jdk), openSsl, uaPrivate, uaPublic, auth)).isEqualTo(payload);
            // and the sender keys OpenSSL generates are fresh, fixed-width uncompressed points the JDK accepts
            P256Ecdh.Agreement agreement = openSsl.agree(uaPublic);
            assertThat(P256.encodePublic(P256.decodePublic(agreement.ephemeralPublic()))).isEqualTo(agreement.ephemeralPublic());
            assertThat(jdk.agree(uaPrivate, agreement.ephemeralPublic())).isEqualTo(agreement.secret());
        }
    }

    @Test
    void bothRefuseBadPointsWithIllegalArgumentException() {
        byte[] offCurve = b(UA_PUBLIC);
        offCurve[64] ^= 1;
        byte[] zero = new byte[65];
        zero[0] = 0x04;
        byte[] xIsP = new byte[65];   // x = p (outside the field), y = 0
        xIsP[0] = 0x04;
        System.arraycopy(P256.params().getCurve().getField() instanceof java.security.spec.ECFieldFp field
                ? fixed(field.getP().toByteArray()) : new byte[32], 0, xIsP, 1, 32);
        byte[] compressed = b(UA_PUBLIC);
        compressed[0] = 0x02;
        byte[] tooShort = Arrays.copyOf(b(UA_PUBLIC), 64);
        for (P256Ecdh ecdh : both()) {
            for (byte[] bad : List.of(offCurve, zero, xIsP, compressed, tooShort)) {
                assertThatThrownBy(() -> ecdh.agree(bad)).as(ecdh.name()).isInstanceOf(IllegalArgumentException.class);
                assertThatThrownBy(() -> ecdh.agree(b(UA_PRIVATE), bad)).as(ecdh.name()).isInstanceOf(IllegalArgumentException.class);
                assertThatThrownBy(() -> WebPushCrypto.encrypt(new byte[10], bad, new byte[16], ecdh)).isInstanceOf(IllegalArgumentException.class);
            }
            // and a good point still works after the refusals (no error left behind in OpenSSL's queue)
            assertThat(ecdh.agree(b(UA_PRIVATE), b(AS_PUBLIC))).isEqualTo(P256Ecdh.jdk().agree(b(UA_PRIVATE), b(AS_PUBLIC)));
        }
    }

    /**
     * Every native object of an agreement is freed, refusals included: the bytes malloc has handed out (glibc's
     * mallinfo2) do not grow over 10,000 agreements, where one leaked key per agreement would add megabytes. The
     * count is the whole process's, and in a test JVM other threads (the JIT compiler, other tests' servers) malloc
     * too, and free; a leak grows it in every round, so the median growth of five rounds is the one compared.
     */
    @Test
    void agreementsFreeEverythingTheyAllocate() throws Throwable {
        OpenSslP256Ecdh openSsl = openSsl();
        byte[] good = b(UA_PUBLIC);
        byte[] bad = b(UA_PUBLIC);
        bad[64] ^= 1;
        Runnable work = () -> {
            for (int i = 0; i < 10_000; i++) {
                if (i % 10 == 0) {
                    assertThatThrownBy(() -> openSsl.agree(bad)).isInstanceOf(IllegalArgumentException.class);
                }
                else if (i % 10 == 1) {
                    openSsl.agree(b(UA_PRIVATE), good);
                }
                else {
                    openSsl.agree(good);
                }
            }
        };
        work.run();
        long[] growth = new long[5];
        for (int round = 0; round < growth.length; round++) {
            long before = mallocInUse();
            work.run();
            growth[round] = mallocInUse() - before;
        }
        Arrays.sort(growth);
        System.out.println("malloc in use grew by " + Arrays.toString(growth) + " bytes in the rounds");
        assertThat(growth[2]).as("bytes malloc'd and not freed over 10,000 agreements, the median of five rounds").isLessThan(500_000);
    }

    /** uordblks of glibc's mallinfo2(): the bytes in allocated chunks. */
    private static long mallocInUse() throws Throwable {
        Linker linker = Linker.nativeLinker();
        MemoryLayout info = MemoryLayout.structLayout(java.util.stream.Stream.generate(() -> JAVA_LONG).limit(10).toArray(MemoryLayout[]::new));
        MethodHandle mallinfo2 = linker.downcallHandle(linker.defaultLookup().findOrThrow("mallinfo2"), FunctionDescriptor.of(info));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment result = (MemorySegment) mallinfo2.invokeExact((java.lang.foreign.SegmentAllocator) arena);
            return result.getAtIndex(JAVA_LONG, 7);
        }
    }

    private static byte[] fixed(byte[] bigEndian) {
        return Arrays.copyOfRange(bigEndian, bigEndian.length - 32, bigEndian.length);
    }
}
