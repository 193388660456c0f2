package dev.vask.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import dev.vask.platform.push.P256;
import dev.vask.platform.push.VapidPrivateKeys;
import dev.vask.platform.push.WebPushCrypto;
import dev.vask.platform.secret.MasterKey;
import dev.vask.platform.secret.SecretCipher;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * The Web Push delivery benchmark (issue 13): a running Vask (pinned to one core by bench/push.sh) pushes to a
 * local push service run here (on the other core), which answers 201 and, for every 64th push, verifies the VAPID
 * token against the subscription's key and decrypts the payload as a browser would (a push that fails counts as an
 * error). Two phases:
 * <ol>
 * <li>throughput: users with 20 subscriptions each receive pushes through {@code POST /apps/{app}/users/{user}/push}
 *     as fast as Vask takes them; pushes delivered per second and per second of Vask's CPU;</li>
 * <li>slow push service: every answer waits {@code slowSeconds}; requests keep coming; Vask must answer 503 once its
 *     queue is full and keep its memory bounded (heap after a full GC, RSS).</li>
 * </ol>
 * Usage: PushBench vaskPort jdbcUrl masterKeyBase64 appId appKey appSecret vaskPid resultsDir [seconds] [slowSeconds]
 */
public final class PushBench {

    private static final int USERS = 100;
    private static final int PER_USER = 20;
    private static final int VERIFY_EVERY = 64;
    private static final int CONCURRENCY = 8;

    private final int port;
    private final String appId;
    private final PusherSigner signer;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, Sub> subscriptions = new ConcurrentHashMap<>();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong verified = new AtomicLong();
    private final AtomicLong verifyErrors = new AtomicLong();
    private final AtomicReference<Duration> delay = new AtomicReference<>(Duration.ZERO);
    private byte[] vapidKey = new byte[0];

    private record Sub(byte[] p256dh, byte[] auth, ECPrivateKey privateKey) {
    }

    private PushBench(int port, String appId, String appKey, String appSecret) {
        this.port = port;
        this.appId = appId;
        this.signer = new PusherSigner(appKey, appSecret);
        this.appKey = appKey;
        this.appSecret = appSecret;
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String jdbc = args[1];
        SecretCipher cipher = new SecretCipher(MasterKey.fromBase64(args[2]));
        PushBench bench = new PushBench(port, args[3], args[4], args[5]);
        long pid = Long.parseLong(args[6]);
        Path results = Path.of(args[7]);
        int seconds = args.length > 8 ? Integer.parseInt(args[8]) : 20;
        int slowSeconds = args.length > 9 ? Integer.parseInt(args[9]) : 5;

        bench.vapidKey = bench.storeKey(jdbc, cipher);
        DisposableServer service = HttpServer.create().host("127.0.0.1").port(0)
                .route(routes -> routes.post("/push/{id}", (request, response) -> request.receive().aggregate().asByteArray()
                        .defaultIfEmpty(new byte[0])
                        .flatMap(body -> {
                            int status = bench.accept(request.param("id"), request.requestHeaders().get("Authorization"), body);
                            Duration wait = bench.delay.get();
                            Mono<Void> answer = Mono.defer(() -> response.status(status).header("Content-Length", "0").send().then());
                            return wait.isZero() ? answer : Mono.delay(wait).then(answer);
                        })))
                .bindNow();
        String origin = "http://127.0.0.1:" + service.port();
        bench.register(origin);

        StringBuilder report = new StringBuilder();
        report.append("Web Push delivery benchmark, ").append(Instant.now()).append('\n');
        report.append("subscriptions: ").append(USERS).append(" users x ").append(PER_USER).append(" = ").append(USERS * PER_USER)
                .append("; payload: the same JSON object each time; every ").append(VERIFY_EVERY).append("th push verified (VAPID JWT under the subscription's key, aud, exp) and decrypted\n");

        // the crypto alone, on this process's core: what one core can encrypt per second (ES256 tokens are cached per origin)
        report.append(bench.cryptoAlone(Duration.ofSeconds(5)));

        // throughput
        bench.drive(Duration.ofSeconds(Math.max(10, seconds)), new AtomicLong(), new AtomicLong()); // warm-up (JIT)
        long cpu0 = cpuTicks(pid);
        long got0 = bench.received.get();
        long start = System.nanoTime();
        AtomicLong accepted = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        bench.drive(Duration.ofSeconds(seconds), accepted, refused);
        double wall = (System.nanoTime() - start) / 1e9;
        long got = bench.received.get() - got0;
        double cpu = (cpuTicks(pid) - cpu0) / 100.0;
        report.append(String.format("throughput: %d pushes delivered in %.1f s = %.0f pushes/s; Vask CPU %.1f s = %.0f pushes per CPU-second; "
                + "push requests accepted %d, refused (503) %d%n", got, wall, got / wall, cpu, got / cpu, accepted.get(), refused.get()));
        report.append(String.format("verification: %d pushes verified and decrypted, %d failed%n", bench.verified.get(), bench.verifyErrors.get()));

        // slow push service
        long rssBefore = rssKb(pid);
        bench.delay.set(Duration.ofSeconds(slowSeconds));
        AtomicLong slowAccepted = new AtomicLong();
        AtomicLong slowRefused = new AtomicLong();
        long[] maxRss = {rssBefore};
        AtomicBoolean sampling = new AtomicBoolean(true);
        Thread sampler = Thread.ofPlatform().start(() -> {
            while (sampling.get()) {
                maxRss[0] = Math.max(maxRss[0], rssKb(pid));
                sleep(200);
            }
        });
        bench.drive(Duration.ofSeconds(seconds), slowAccepted, slowRefused);
        String heap = heapAfterGc(pid);
        sampling.set(false);
        sampler.join();
        report.append(String.format("slow push service (every answer after %d s): push requests accepted %d (x%d subscriptions), refused with 503 %d; "
                + "Vask RSS %d MB before, at most %d MB during; heap after a full GC with the queue full: %s%n",
                slowSeconds, slowAccepted.get(), PER_USER, slowRefused.get(), rssBefore / 1024, maxRss[0] / 1024, heap));
        bench.delay.set(Duration.ZERO);
        service.disposeNow();
        System.out.print(report);
        Files.createDirectories(results);
        Files.writeString(results.resolve("push-summary.txt"), report.toString());
        if (bench.verifyErrors.get() > 0) {
            System.exit(1);
        }
    }

    private String cryptoAlone(Duration length) {
        Sub sub = subscriptions.values().iterator().next();
        byte[] plain = ("{\"title\":\"New message\",\"body\":\"" + "x".repeat(100) + "\",\"url\":\"/inbox/42\",\"id\":1}").getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 2000; i++) {
            WebPushCrypto.encrypt(plain, sub.p256dh(), sub.auth());
        }
        long end = System.nanoTime() + length.toNanos();
        long start = System.nanoTime();
        long n = 0;
        while (System.nanoTime() < end) {
            WebPushCrypto.encrypt(plain, sub.p256dh(), sub.auth());
            n++;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return String.format("crypto alone (bench process, one core): %d RFC 8291 encryptions of a %d-byte payload in %.1f s = %.0f per second%n",
                n, plain.length, seconds, n / seconds);
    }

    /** Enables Web Push for the app and stores a fresh VAPID key pair the way Vask stores them. */
    private byte[] storeKey(String jdbc, SecretCipher cipher) throws Exception {
        KeyPair pair = P256.generate();
        byte[] publicKey = P256.encodePublic((ECPublicKey) pair.getPublic());
        String text = P256.base64url(publicKey);
        try (Connection db = DriverManager.getConnection(jdbc); Statement statement = db.createStatement()) {
            statement.execute("update apps set web_push_enabled = true where id = " + Long.parseLong(appId));
            statement.execute("delete from vapid_keys where app_id = " + Long.parseLong(appId));
            try (PreparedStatement insert = db.prepareStatement("insert into vapid_keys (app_id, public_key, private_key_ciphertext) values (?, ?, ?)")) {
                insert.setLong(1, Long.parseLong(appId));
                insert.setString(2, text);
                insert.setBytes(3, VapidPrivateKeys.encrypt(cipher, (ECPrivateKey) pair.getPrivate(), Long.parseLong(appId)));
                insert.executeUpdate();
            }
        }
        return publicKey;
    }

    private void register(String origin) throws Exception {
        SecureRandom random = new SecureRandom();
        String key = P256.base64url(vapidKey);
        for (int user = 0; user < USERS; user++) {
            for (int i = 0; i < PER_USER; i++) {
                KeyPair pair = P256.generate();
                byte[] auth = new byte[16];
                random.nextBytes(auth);
                String id = "u" + user + "-" + i;
                Sub sub = new Sub(P256.encodePublic((ECPublicKey) pair.getPublic()), auth, (ECPrivateKey) pair.getPrivate());
                subscriptions.put(id, sub);
                String body = "{\"subscription\":{\"endpoint\":\"" + origin + "/push/" + id + "\",\"expirationTime\":null,\"keys\":{\"p256dh\":\""
                        + P256.base64url(sub.p256dh()) + "\",\"auth\":\"" + P256.base64url(auth) + "\"}},\"key\":\"" + key + "\"}";
                HttpResponse<String> response = send("/users/u" + user + "/push_subscriptions", body);
                if (response.statusCode() != 201 && response.statusCode() != 200) {
                    throw new IllegalStateException("registering a subscription: " + response.statusCode() + " " + response.body());
                }
            }
        }
    }

    /** Push requests from CONCURRENCY loops for this long; a 503 (queue full) waits 20 ms before the next request. */
    private void drive(Duration length, AtomicLong accepted, AtomicLong refused) throws InterruptedException {
        long end = System.nanoTime() + length.toNanos();
        CountDownLatch done = new CountDownLatch(CONCURRENCY);
        String payload = "{\"payload\":{\"title\":\"New message\",\"body\":\"" + "x".repeat(100) + "\",\"url\":\"/inbox/42\",\"id\":1},\"ttl\":3600}";
        for (int c = 0; c < CONCURRENCY; c++) {
            int first = c;
            Thread.ofPlatform().start(() -> {
                PusherSigner own = signerCopy();
                int user = first;
                while (System.nanoTime() < end) {
                    try {
                        HttpResponse<String> response = send(own, "/users/u" + (user % USERS) + "/push", payload);
                        if (response.statusCode() == 202) {
                            accepted.incrementAndGet();
                        }
                        else {
                            refused.incrementAndGet();
                            sleep(20);
                        }
                    }
                    catch (Exception e) {
                        refused.incrementAndGet();
                        sleep(5);
                    }
                    user += CONCURRENCY;
                }
                done.countDown();
            });
        }
        done.await();
    }

    private int accept(String id, String authorization, byte[] body) {
        Sub sub = subscriptions.get(id);
        if (sub == null) {
            return 404;
        }
        long n = received.incrementAndGet();
        if (n % VERIFY_EVERY == 0) {
            try {
                verify(sub, authorization, body);
                verified.incrementAndGet();
            }
            catch (Exception | AssertionError e) {
                verifyErrors.incrementAndGet();
                System.err.println("push " + n + " failed verification: " + e);
                return 403;
            }
        }
        return 201;
    }

    private void verify(Sub sub, String authorization, byte[] body) throws Exception {
        String prefix = "vapid t=";
        int k = authorization.indexOf(", k=");
        String token = authorization.substring(prefix.length(), k);
        if (!MessageDigest.isEqual(Base64.getUrlDecoder().decode(authorization.substring(k + 4)), vapidKey)) {
            throw new AssertionError("k= is not the subscription's key");
        }
        String[] parts = token.split("\\.");
        Signature verifier = Signature.getInstance("SHA256withECDSAinP1363Format");
        verifier.initVerify(P256.decodePublic(vapidKey));
        verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        if (!verifier.verify(Base64.getUrlDecoder().decode(parts[2]))) {
            throw new AssertionError("bad VAPID signature");
        }
        String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        if (!claims.contains("\"aud\":\"http://127.0.0.1:")) {
            throw new AssertionError("aud is not this service's origin: " + claims);
        }
        String plain = new String(WebPushCrypto.decrypt(body, sub.privateKey(), sub.p256dh(), sub.auth()), StandardCharsets.UTF_8);
        if (!plain.startsWith("{\"title\":\"New message\"")) {
            throw new AssertionError("unexpected payload " + plain);
        }
    }

    private final String appKey;
    private final String appSecret;

    private PusherSigner signerCopy() {
        return new PusherSigner(appKey, appSecret);
    }

    private HttpResponse<String> send(String path, String body) throws IOException, InterruptedException {
        return send(signer, path, body);
    }

    private HttpResponse<String> send(PusherSigner with, String path, String body) throws IOException, InterruptedException {
        String full = "/apps/" + appId + path;
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String query = with.signedQuery("POST", full, bytes, Instant.now().getEpochSecond());
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + full + "?" + query))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static long cpuTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        }
        catch (IOException e) {
            throw new IllegalStateException("cannot read Vask's CPU time", e);
        }
    }

    private static long rssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        }
        catch (IOException e) {
            return -1;
        }
        return -1;
    }

    /** jcmd GC.run, then the heap's used figure from GC.heap_info. */
    private static String heapAfterGc(long pid) {
        try {
            String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
            new ProcessBuilder(jcmd, Long.toString(pid), "GC.run").redirectErrorStream(true).start().waitFor();
            Process info = new ProcessBuilder(jcmd, Long.toString(pid), "GC.heap_info").redirectErrorStream(true).start();
            String out = new String(info.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            info.waitFor();
            List<String> lines = new ArrayList<>();
            for (String line : out.split("\n")) {
                if (line.contains("used")) {
                    lines.add(line.trim());
                    break;
                }
            }
            return lines.isEmpty() ? "unknown" : lines.getFirst();
        }
        catch (IOException | InterruptedException e) {
            return "unknown (" + e + ")";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
