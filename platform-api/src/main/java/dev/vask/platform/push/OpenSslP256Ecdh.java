package dev.vask.platform.push;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

import org.jspecify.annotations.Nullable;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * P-256 ECDH through OpenSSL 3's libcrypto ({@code EVP_PKEY} API) and the Foreign Function and Memory API.
 *
 * <p>Per agreement: the peer's point goes into a new key with P-256's parameters through
 * {@code EVP_PKEY_set1_encoded_public_key}, which refuses a point that is not on the curve; the ephemeral key comes
 * from {@code EVP_PKEY_generate} on a context made from a template key (P-256's parameters, generated once); and
 * {@code EVP_PKEY_derive} gives the shared X coordinate. The peer is not validated a second time at
 * {@code derive_set_peer}: on P-256 (cofactor 1) a point on the curve is a valid public key, and OpenSSL's full check
 * costs another scalar multiplication (about 45 µs, as much as the agreement itself). These choices were measured:
 * the template context saves about 10 µs per key over a context by name, the encoded-point import about 10 µs over
 * {@code EVP_PKEY_fromdata}.
 *
 * <p>Every native object is freed in a {@code finally}; buffers live in a confined arena closed with the call, and
 * OpenSSL's per-thread error queue is cleared after a failure so that nothing carries over to the next call. The
 * method handles are constants ({@link Lib}), so that the JIT compiles the downcalls inline.
 */
final class OpenSslP256Ecdh implements P256Ecdh {

    static final String LIBRARY = "libcrypto.so.3";
    private static final long OPENSSL_3 = 0x3000_0000L;
    /** EVP_PKEY_KEYPAIR of openssl/evp.h. */
    private static final int SELECT_KEYPAIR = 0x87;
    /** OSSL_PARAM data types of openssl/core.h. */
    private static final int PARAM_UNSIGNED_INTEGER = 2;
    private static final int PARAM_UTF8_STRING = 4;
    /** struct ossl_param_st on LP64: key (0), data_type (8), data (16), data_size (24), return_size (32). */
    private static final long PARAM_BYTES = 40;
    /** OSSL_PARAM_UNMODIFIED: no return size yet. */
    private static final long UNMODIFIED = -1L;
    private static final int SECRET_BYTES = 32;

    /** What loading gave: the implementation, or why there is none. */
    record Loaded(@Nullable OpenSslP256Ecdh instance, String problem) {
    }

    /** The library's functions, bound once; its class initialisation fails where libcrypto.so.3 does not load. */
    private static final class Lib {
        private static final Linker LINKER = Linker.nativeLinker();
        private static final SymbolLookup CRYPTO = SymbolLookup.libraryLookup(LIBRARY, Arena.global());
        static final MethodHandle VERSION_NUM = handle("OpenSSL_version_num", FunctionDescriptor.of(JAVA_LONG));
        static final MethodHandle VERSION = handle("OpenSSL_version", FunctionDescriptor.of(ADDRESS, JAVA_INT));
        static final MethodHandle CTX_NEW_FROM_NAME = handle("EVP_PKEY_CTX_new_from_name", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, ADDRESS));
        static final MethodHandle CTX_NEW_FROM_PKEY = handle("EVP_PKEY_CTX_new_from_pkey", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, ADDRESS));
        static final MethodHandle CTX_FREE = handle("EVP_PKEY_CTX_free", FunctionDescriptor.ofVoid(ADDRESS));
        static final MethodHandle PKEY_NEW = handle("EVP_PKEY_new", FunctionDescriptor.of(ADDRESS));
        static final MethodHandle PKEY_FREE = handle("EVP_PKEY_free", FunctionDescriptor.ofVoid(ADDRESS));
        static final MethodHandle COPY_PARAMETERS = handle("EVP_PKEY_copy_parameters", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        static final MethodHandle SET1_ENCODED_PUBLIC_KEY = handle("EVP_PKEY_set1_encoded_public_key",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
        static final MethodHandle FROMDATA_INIT = handle("EVP_PKEY_fromdata_init", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        static final MethodHandle FROMDATA = handle("EVP_PKEY_fromdata", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS));
        static final MethodHandle KEYGEN_INIT = handle("EVP_PKEY_keygen_init", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        static final MethodHandle SET_GROUP_NAME = handle("EVP_PKEY_CTX_set_group_name", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        static final MethodHandle GENERATE = handle("EVP_PKEY_generate", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        static final MethodHandle GET_OCTET_STRING_PARAM = handle("EVP_PKEY_get_octet_string_param",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS));
        static final MethodHandle DERIVE_INIT = handle("EVP_PKEY_derive_init", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        static final MethodHandle DERIVE_SET_PEER_EX = handle("EVP_PKEY_derive_set_peer_ex", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
        static final MethodHandle DERIVE = handle("EVP_PKEY_derive", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
        static final MethodHandle ERR_CLEAR_ERROR = handle("ERR_clear_error", FunctionDescriptor.ofVoid());
        // constant C strings, for the life of the process
        static final MemorySegment EC = Arena.global().allocateFrom("EC");
        static final MemorySegment P_256 = Arena.global().allocateFrom("P-256");
        static final MemorySegment GROUP = Arena.global().allocateFrom("group");
        static final MemorySegment PUB = Arena.global().allocateFrom("pub");
        static final MemorySegment PRIV = Arena.global().allocateFrom("priv");

        private Lib() {
        }

        private static MethodHandle handle(String name, FunctionDescriptor descriptor) {
            return LINKER.downcallHandle(CRYPTO.findOrThrow(name), descriptor);
        }
    }

    private final String version;
    /** A P-256 key whose parameters every ephemeral key and imported point copies; kept for the life of the process. */
    private final MemorySegment template;

    private OpenSslP256Ecdh() throws Throwable {
        long number = (long) Lib.VERSION_NUM.invokeExact();
        if (number < OPENSSL_3) {
            throw new IllegalStateException(LIBRARY + " reports version 0x" + Long.toHexString(number) + ", not 3.x");
        }
        this.version = ((MemorySegment) Lib.VERSION.invokeExact(0)).reinterpret(256).getString(0);
        try (Arena arena = Arena.ofConfined()) {
            this.template = generateByName(arena);
        }
    }

    /** Loads libcrypto.so.3 and checks agreements against the JDK's; never throws. */
    static Loaded load() {
        try {
            OpenSslP256Ecdh openSsl = new OpenSslP256Ecdh();
            openSsl.selfTest();
            return new Loaded(openSsl, "");
        }
        catch (Throwable e) {
            return new Loaded(null, LIBRARY + " is not usable (" + e + ")");
        }
    }

    @Override
    public String name() {
        return version + " (" + LIBRARY + ")";
    }

    @Override
    public Agreement agree(byte[] peerPublic) {
        requireUncompressed(peerPublic);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment peer = MemorySegment.NULL;
            MemorySegment own = MemorySegment.NULL;
            try {
                peer = importPublic(arena, peerPublic);
                own = generate(arena);
                return new Agreement(publicPoint(arena, own), derive(arena, own, peer));
            }
            finally {
                free(own);
                free(peer);
            }
        }
    }

    @Override
    public byte[] agree(byte[] ownPrivate, byte[] peerPublic) {
        requireUncompressed(peerPublic);
        if (ownPrivate.length != P256.PRIVATE_KEY_BYTES) {
            throw new IllegalArgumentException("a P-256 private key is 32 bytes, not " + ownPrivate.length);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment peer = MemorySegment.NULL;
            MemorySegment own = MemorySegment.NULL;
            try {
                peer = importPublic(arena, peerPublic);
                own = importPrivate(arena, ownPrivate);
                return derive(arena, own, peer);
            }
            finally {
                free(own);
                free(peer);
            }
        }
    }

    private static void requireUncompressed(byte[] point) {
        if (point.length != P256.PUBLIC_KEY_BYTES || point[0] != 0x04) {
            throw new IllegalArgumentException("not a 65-byte uncompressed P-256 point");
        }
    }

    /** @throws IllegalArgumentException when the point is not on the curve */
    private MemorySegment importPublic(Arena arena, byte[] point) {
        MemorySegment key;
        int copied;
        int set;
        try {
            key = (MemorySegment) Lib.PKEY_NEW.invokeExact();
            require(key, "EVP_PKEY_new");
            copied = (int) Lib.COPY_PARAMETERS.invokeExact(key, template);
            set = copied == 1 ? (int) Lib.SET1_ENCODED_PUBLIC_KEY.invokeExact(key, arena.allocateFrom(JAVA_BYTE, point), (long) point.length) : 0;
        }
        catch (Throwable e) {
            throw unexpected(e);
        }
        if (copied != 1 || set != 1) {
            free(key);
            clearErrors();
            if (copied != 1) {
                throw new IllegalStateException("EVP_PKEY_copy_parameters failed");
            }
            throw new IllegalArgumentException("the point is not on the P-256 curve");
        }
        return key;
    }

    /** The own key of the test vector and of decryption: {group: P-256, priv: the scalar, native-endian}. */
    private static MemorySegment importPrivate(Arena arena, byte[] scalar) {
        byte[] nativeOrder = scalar.clone();
        if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
            for (int i = 0; i < nativeOrder.length / 2; i++) {
                byte b = nativeOrder[i];
                nativeOrder[i] = nativeOrder[nativeOrder.length - 1 - i];
                nativeOrder[nativeOrder.length - 1 - i] = b;
            }
        }
        MemorySegment data = arena.allocateFrom(JAVA_BYTE, nativeOrder);
        Arrays.fill(nativeOrder, (byte) 0);
        MemorySegment params = arena.allocate(PARAM_BYTES * 3, 8); // the third entry stays zero: the end marker
        param(params, 0, Lib.GROUP, PARAM_UTF8_STRING, Lib.P_256, 5);
        param(params, 1, Lib.PRIV, PARAM_UNSIGNED_INTEGER, data, scalar.length);
        MemorySegment ctx = MemorySegment.NULL;
        try {
            ctx = (MemorySegment) Lib.CTX_NEW_FROM_NAME.invokeExact(MemorySegment.NULL, Lib.EC, MemorySegment.NULL);
            require(ctx, "EVP_PKEY_CTX_new_from_name");
            require((int) Lib.FROMDATA_INIT.invokeExact(ctx), "EVP_PKEY_fromdata_init");
            MemorySegment out = arena.allocate(ADDRESS);
            if ((int) Lib.FROMDATA.invokeExact(ctx, out, SELECT_KEYPAIR, params) != 1) {
                clearErrors();
                throw new IllegalArgumentException("not a valid P-256 private key");
            }
            return out.get(ADDRESS, 0);
        }
        catch (Throwable e) {
            throw unexpected(e);
        }
        finally {
            data.fill((byte) 0);
            freeCtx(ctx);
        }
    }

    private static void param(MemorySegment params, int index, MemorySegment key, int type, MemorySegment data, long size) {
        long at = index * PARAM_BYTES;
        params.set(ADDRESS, at, key);
        params.set(JAVA_INT, at + 8, type);
        params.set(ADDRESS, at + 16, data);
        params.set(JAVA_LONG, at + 24, size);
        params.set(JAVA_LONG, at + 32, UNMODIFIED);
    }

    private MemorySegment generate(Arena arena) {
        MemorySegment ctx = MemorySegment.NULL;
        try {
            ctx = (MemorySegment) Lib.CTX_NEW_FROM_PKEY.invokeExact(MemorySegment.NULL, template, MemorySegment.NULL);
            require(ctx, "EVP_PKEY_CTX_new_from_pkey");
            require((int) Lib.KEYGEN_INIT.invokeExact(ctx), "EVP_PKEY_keygen_init");
            MemorySegment out = arena.allocate(ADDRESS);
            require((int) Lib.GENERATE.invokeExact(ctx, out), "EVP_PKEY_generate");
            return out.get(ADDRESS, 0);
        }
        catch (Throwable e) {
            throw unexpected(e);
        }
        finally {
            freeCtx(ctx);
        }
    }

    private static MemorySegment generateByName(Arena arena) {
        MemorySegment ctx = MemorySegment.NULL;
        try {
            ctx = (MemorySegment) Lib.CTX_NEW_FROM_NAME.invokeExact(MemorySegment.NULL, Lib.EC, MemorySegment.NULL);
            require(ctx, "EVP_PKEY_CTX_new_from_name");
            require((int) Lib.KEYGEN_INIT.invokeExact(ctx), "EVP_PKEY_keygen_init");
            require((int) Lib.SET_GROUP_NAME.invokeExact(ctx, Lib.P_256), "EVP_PKEY_CTX_set_group_name");
            MemorySegment out = arena.allocate(ADDRESS);
            require((int) Lib.GENERATE.invokeExact(ctx, out), "EVP_PKEY_generate");
            return out.get(ADDRESS, 0);
        }
        catch (Throwable e) {
            throw unexpected(e);
        }
        finally {
            freeCtx(ctx);
        }
    }

    private static byte[] publicPoint(Arena arena, MemorySegment key) {
        MemorySegment buffer = arena.allocate(P256.PUBLIC_KEY_BYTES);
        MemorySegment length = arena.allocate(JAVA_LONG);
        try {
            require((int) Lib.GET_OCTET_STRING_PARAM.invokeExact(key, Lib.PUB, buffer, (long) P256.PUBLIC_KEY_BYTES, length),
                    "EVP_PKEY_get_octet_string_param(pub)");
        }
        catch (Throwable e) {
            throw unexpected(e);
        }
        byte[] point = buffer.toArray(JAVA_BYTE);
        if (length.get(JAVA_LONG, 0) != P256.PUBLIC_KEY_BYTES || point[0] != 0x04) {
            throw new IllegalStateException("OpenSSL gave a public key that is not a 65-byte uncompressed point");
        }
        return point;
    }

    private static byte[] derive(Arena arena, MemorySegment own, MemorySegment peer) {
        MemorySegment ctx = MemorySegment.NULL;
        MemorySegment secret = arena.allocate(SECRET_BYTES);
        MemorySegment length = arena.allocate(JAVA_LONG);
        length.set(JAVA_LONG, 0, SECRET_BYTES);
        try {
            ctx = (MemorySegment) Lib.CTX_NEW_FROM_PKEY.invokeExact(MemorySegment.NULL, own, MemorySegment.NULL);
            require(ctx, "EVP_PKEY_CTX_new_from_pkey");
            require((int) Lib.DERIVE_INIT.invokeExact(ctx), "EVP_PKEY_derive_init");
            // validated on import (on the curve; cofactor 1): no second check
            require((int) Lib.DERIVE_SET_PEER_EX.invokeExact(ctx, peer, 0), "EVP_PKEY_derive_set_peer_ex");
            require((int) Lib.DERIVE.invokeExact(ctx, secret, length), "EVP_PKEY_derive");
        }
        catch (Throwable e) {
            throw unexpected(e);
        }
        finally {
            freeCtx(ctx);
        }
        if (length.get(JAVA_LONG, 0) != SECRET_BYTES) {
            throw new IllegalStateException("OpenSSL derived " + length.get(JAVA_LONG, 0) + " bytes, not 32");
        }
        byte[] out = secret.toArray(JAVA_BYTE);
        secret.fill((byte) 0);
        return out;
    }

    private static void free(MemorySegment key) {
        if (!key.equals(MemorySegment.NULL)) {
            try {
                Lib.PKEY_FREE.invokeExact(key);
            }
            catch (Throwable e) {
                throw unexpected(e);
            }
        }
    }

    private static void freeCtx(MemorySegment ctx) {
        if (!ctx.equals(MemorySegment.NULL)) {
            try {
                Lib.CTX_FREE.invokeExact(ctx);
            }
            catch (Throwable e) {
                throw unexpected(e);
            }
        }
    }

    private static void require(int result, String function) {
        if (result != 1) {
            clearErrors();
            throw new IllegalStateException(function + " failed");
        }
    }

    private static void require(MemorySegment pointer, String function) {
        if (pointer.equals(MemorySegment.NULL)) {
            clearErrors();
            throw new IllegalStateException(function + " failed");
        }
    }

    private static void clearErrors() {
        try {
            Lib.ERR_CLEAR_ERROR.invokeExact();
        }
        catch (Throwable e) {
            throw unexpected(e);
        }
    }

    /** Runtime exceptions (ours: IllegalArgumentException, IllegalStateException) pass; anything else is wrapped. */
    private static RuntimeException unexpected(Throwable e) {
        if (e instanceof RuntimeException runtime) {
            return runtime;
        }
        if (e instanceof Error error) {
            throw error;
        }
        return new IllegalStateException(e);
    }

    /** The same secret as the JDK for a fixed pair (RFC 8291's), and a fresh agreement that the JDK confirms. */
    private void selfTest() {
        byte[] uaPrivate = P256.fromBase64url("q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94");
        byte[] asPublic = P256.fromBase64url("BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8");
        if (!Arrays.equals(agree(uaPrivate, asPublic), JdkP256Ecdh.INSTANCE.agree(uaPrivate, asPublic))) {
            throw new IllegalStateException("OpenSSL's ECDH disagrees with the JDK's on RFC 8291's keys");
        }
        byte[] uaPublic = P256.fromBase64url("BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4");
        Agreement fresh = agree(uaPublic);
        if (!Arrays.equals(fresh.secret(), JdkP256Ecdh.INSTANCE.agree(uaPrivate, fresh.ephemeralPublic()))) {
            throw new IllegalStateException("OpenSSL's ECDH disagrees with the JDK's on a fresh key");
        }
    }
}
