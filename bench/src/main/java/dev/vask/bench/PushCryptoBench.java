package dev.vask.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

import dev.vask.platform.push.P256;
import dev.vask.platform.push.P256Ecdh;
import dev.vask.platform.push.WebPushCrypto;

/**
 * The P-256 comparison behind Web Push encryption (docs/performance.md, "Web Push delivery"): the JDK's and
 * OpenSSL's ECDH (a fresh ephemeral key agreed with a browser's point) and a whole RFC 8291 encryption with each,
 * in one process, alternating rounds after a warm-up, timed in this thread's CPU time. Median of the rounds.
 *
 * <p>Usage: java --enable-native-access=ALL-UNNAMED -cp ... dev.vask.bench.PushCryptoBench [rounds, default 7]
 */
public final class PushCryptoBench {

    private static final int OPS = 400;

    private PushCryptoBench() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        P256Ecdh openSsl = P256Ecdh.preferred();
        P256Ecdh jdk = P256Ecdh.jdk();
        if (openSsl == jdk) {
            throw new IllegalStateException("libcrypto.so.3 did not load: nothing to compare");
        }
        List<byte[]> browsers = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            KeyPair pair = P256.generate();
            browsers.add(P256.encodePublic((ECPublicKey) pair.getPublic()));
        }
        byte[] auth = new byte[16];
        byte[] payload = "{\"title\":\"New message\",\"body\":\"Hello from the Web Push bench, with an ordinary payload size\",\"n\":12345}"
                .repeat(2).getBytes(StandardCharsets.UTF_8);
        String[] names = {"ECDH, JDK", "ECDH, OpenSSL", "RFC 8291 encryption, JDK", "RFC 8291 encryption, OpenSSL"};
        List<Consumer<byte[]>> work = List.of(
                point -> jdk.agree(point),
                point -> openSsl.agree(point),
                point -> WebPushCrypto.encrypt(payload, point, auth, jdk),
                point -> WebPushCrypto.encrypt(payload, point, auth, openSsl));
        double[][] micros = new double[work.size()][rounds];
        for (int warm = 0; warm < 3; warm++) {
            for (Consumer<byte[]> w : work) {
                run(w, browsers);
            }
        }
        for (int round = 0; round < rounds; round++) {
            for (int w = 0; w < work.size(); w++) {
                micros[w][round] = run(work.get(w), browsers);
            }
        }
        System.out.printf("P-256 for Web Push, %s vs the JDK %s; %d rounds of %d operations each, alternating, after 3 warm-up rounds; "
                + "CPU time of the measuring thread; payload %d bytes%n", openSsl.name(), Runtime.version(), rounds, OPS, payload.length);
        for (int w = 0; w < work.size(); w++) {
            double[] sorted = micros[w].clone();
            Arrays.sort(sorted);
            System.out.printf("%-30s median %7.1f µs (min %7.1f, max %7.1f) = %6.0f per CPU-second%n", names[w], sorted[rounds / 2], sorted[0],
                    sorted[rounds - 1], 1e6 / sorted[rounds / 2]);
        }
    }

    /** µs of this thread's CPU per operation. */
    private static double run(Consumer<byte[]> work, List<byte[]> browsers) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long start = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < OPS; i++) {
            work.accept(browsers.get(i % browsers.size()));
        }
        return (threads.getCurrentThreadCpuTime() - start) / 1000.0 / OPS;
    }
}
