package dev.vask.platform.push;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
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
 * Every native object is freed in a {@code finally}; buffers live in a confined arena closed with the call, and
 * OpenSSL's per-thread error queue is cleared after a failure so it cannot carry over to the next call.
 */
final class OpenSslP256Ecdh implements P256Ecdh {

    static final String LIBRARY = "libcrypto.so.3";
    private static final long OPENSSL_3 = 0x3000_0000L;
    /** EVP_PKEY_KEYPAIR of openssl/evp.h (selection bits of openssl/core_dispatch.h). */
    private static final int SELECT_KEYPAIR = 0x87;
    /** OSSL_PARAM data types of openssl/core.h. */
    private static final int PARAM_UNSIGNED_INTEGER = 2;
    private static final int PARAM_UTF8_STRING = 4;
    /** struct ossl_param_st: key, data_type, data, data_size, return_size. */
    private static final StructLayout OSSL_PARAM = MemoryLayout.structLayout(ADDRESS.withName("key"), JAVA_INT.withName("data_type"),
            MemoryLayout.paddingLayout(4), ADDRESS.withName("data"), JAVA_LONG.withName("data_size"), JAVA_LONG.withName("return_size"));
    private static final VarHandle PARAM_KEY = OSSL_PARAM.varHandle(MemoryLayout.PathElement.groupElement("key"));
    private static final VarHandle PARAM_TYPE = OSSL_PARAM.varHandle(MemoryLayout.PathElement.groupElement("data_type"));
    private static final VarHandle PARAM_DATA = OSSL_PARAM.varHandle(MemoryLayout.PathElement.groupElement("data"));
    private static final VarHandle PARAM_SIZE = OSSL_PARAM.varHandle(MemoryLayout.PathElement.groupElement("data_size"));
    private static final VarHandle PARAM_RETURN_SIZE = OSSL_PARAM.varHandle(MemoryLayout.PathElement.groupElement("return_size"));
    /** OSSL_PARAM_UNMODIFIED: no return size yet. */
    private static final long UNMODIFIED = -1L;

    /** What loading gave: the implementation, or why there is none. */
    record Loaded(@Nullable OpenSslP256Ecdh instance, String problem) {
    }

    private final MethodHandle ctxNewFromName;
    private final MethodHandle ctxNewFromPkey;
    private final MethodHandle ctxFree;
    private final MethodHandle pkeyFree;
    private final MethodHandle fromdataInit;
    private final MethodHandle fromdata;
    private final MethodHandle keygenInit;
    private final MethodHandle setGroupName;
    private final MethodHandle generate;
    private final MethodHandle getOctetStringParam;
    private final MethodHandle deriveInit;
    private final MethodHandle deriveSetPeer;
    private final MethodHandle derive;
    private final MethodHandle errClear;
    private final MethodHandle pkeyNew;
    private final MethodHandle copyParameters;
    private final MethodHandle setEncodedPublicKey;
    /** A P-256 key whose parameters every ephemeral key and imported point copies; kept for the life of the process. */
    private final MemorySegment template;
    private final String version;
    // constant C strings, for the life of the process
    private final MemorySegment ec;
    private final MemorySegment p256;
    private final MemorySegment group;
    private final MemorySegment pub;
    private final MemorySegment priv;

    private OpenSslP256Ecdh(SymbolLookup lib) throws Throwable {
        Linker linker = Linker.nativeLinker();
        MethodHandle versionNum = handle(linker, lib, "OpenSSL_version_num", FunctionDescriptor.of(JAVA_LONG));
        long number = (long) versionNum.invokeExact();
        if (number < OPENSSL_3) {
            throw new IllegalStateException(LIBRARY + " reports version 0x" + Long.toHexString(number) + ", not 3.x");
        }
        MethodHandle versionText = handle(linker, lib, "OpenSSL_version", FunctionDescriptor.of(ADDRESS, JAVA_INT));
        this.version = ((MemorySegment) versionText.invokeExact(0)).reinterpret(256).getString(0);
        this.ctxNewFromName = handle(linker, lib, "EVP_PKEY_CTX_new_from_name", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, ADDRESS));
        this.ctxNewFromPkey = handle(linker, lib, "EVP_PKEY_CTX_new_from_pkey", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, ADDRESS));
        this.ctxFree = handle(linker, lib, "EVP_PKEY_CTX_free", FunctionDescriptor.ofVoid(ADDRESS));
        this.pkeyFree = handle(linker, lib, "EVP_PKEY_free", FunctionDescriptor.ofVoid(ADDRESS));
        this.fromdataInit = handle(linker, lib, "EVP_PKEY_fromdata_init", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        this.fromdata = handle(linker, lib, "EVP_PKEY_fromdata", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS));
        this.keygenInit = handle(linker, lib, "EVP_PKEY_keygen_init", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        this.setGroupName = handle(linker, lib, "EVP_PKEY_CTX_set_group_name", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        this.generate = handle(linker, lib, "EVP_PKEY_generate", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        this.getOctetStringParam = handle(linker, lib, "EVP_PKEY_get_octet_string_param",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS));
        this.deriveInit = handle(linker, lib, "EVP_PKEY_derive_init", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        this.deriveSetPeer = handle(linker, lib, "EVP_PKEY_derive_set_peer_ex", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
        this.derive = handle(linker, lib, "EVP_PKEY_derive", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
        this.errClear = handle(linker, lib, "ERR_clear_error", FunctionDescriptor.ofVoid());
        this.pkeyNew = handle(linker, lib, "EVP_PKEY_new", FunctionDescriptor.of(ADDRESS));
        this.copyParameters = handle(linker, lib, "EVP_PKEY_copy_parameters", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        this.setEncodedPublicKey = handle(linker, lib, "EVP_PKEY_set1_encoded_public_key", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
        Arena global = Arena.global();
        this.ec = global.allocateFrom("EC");
        this.p256 = global.allocateFrom("P-256");
        this.group = global.allocateFrom("group");
        this.pub = global.allocateFrom("pub");
        this.priv = global.allocateFrom("priv");
        try (Arena arena = Arena.ofConfined()) {
            this.template = generateByName(arena);
        }
    }

    /** Loads libcrypto.so.3 and checks one agreement against the JDK's; never throws. */
    static Loaded load() {
        try {
            OpenSslP256Ecdh openSsl = new OpenSslP256Ecdh(SymbolLookup.libraryLookup(LIBRARY, Arena.global()));
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
                own = importKey(arena, SELECT_KEYPAIR, privateParams(arena, ownPrivate));
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

    /** {group: P-256, priv: the scalar as a native-endian unsigned integer}. */
    private MemorySegment privateParams(Arena arena, byte[] scalar) {
        byte[] native_ = scalar.clone();
        if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
            for (int i = 0; i < native_.length / 2; i++) {
                byte b = native_[i];
                native_[i] = native_[native_.length - 1 - i];
                native_[native_.length - 1 - i] = b;
            }
        }
        MemorySegment params = arena.allocate(OSSL_PARAM, 3);
        param(params, 0, group, PARAM_UTF8_STRING, p256, 5);
        MemorySegment data = arena.allocateFrom(JAVA_BYTE, native_);
        Arrays.fill(native_, (byte) 0);
        param(params, 1, priv, PARAM_UNSIGNED_INTEGER, data, scalar.length);
        return params;
    }

    private static void param(MemorySegment params, int index, MemorySegment key, int type, MemorySegment data, long size) {
        MemorySegment one = params.asSlice(index * OSSL_PARAM.byteSize(), OSSL_PARAM);
        PARAM_KEY.set(one, 0L, key);
        PARAM_TYPE.set(one, 0L, type);
        PARAM_DATA.set(one, 0L, data);
        PARAM_SIZE.set(one, 0L, size);
        PARAM_RETURN_SIZE.set(one, 0L, UNMODIFIED);
        // the entry after it stays zero: the array's end marker
    }

    /** @throws IllegalArgumentException when the point is not on the curve */
    private MemorySegment importPublic(Arena arena, byte[] point) {
        MemorySegment key = call(() -> (MemorySegment) pkeyNew.invokeExact());
        require(key, "EVP_PKEY_new");
        try {
            require(call(() -> (int) copyParameters.invokeExact(key, template)), "EVP_PKEY_copy_parameters");
            MemorySegment data = arena.allocateFrom(JAVA_BYTE, point);
            if (call(() -> (int) setEncodedPublicKey.invokeExact(key, data, (long) point.length)) != 1) {
                clearErrors();
                throw new IllegalArgumentException("the point is not on the P-256 curve");
            }
            return key;
        }
        catch (RuntimeException e) {
            free(key);
            throw e;
        }
    }

    /** The own key of the test vector and of decryption: {group, priv}. */
    private MemorySegment importKey(Arena arena, int selection, MemorySegment params) {
        MemorySegment ctx = call(() -> (MemorySegment) ctxNewFromName.invokeExact(MemorySegment.NULL, ec, MemorySegment.NULL));
        try {
            require(ctx, "EVP_PKEY_CTX_new_from_name");
            require(call(() -> (int) fromdataInit.invokeExact(ctx)), "EVP_PKEY_fromdata_init");
            MemorySegment out = arena.allocate(ADDRESS);
            if (call(() -> (int) fromdata.invokeExact(ctx, out, selection, params)) != 1) {
                clearErrors();
                throw new IllegalArgumentException("not a valid P-256 private key");
            }
            return out.get(ADDRESS, 0);
        }
        finally {
            freeCtx(ctx);
        }
    }

    private MemorySegment generate(Arena arena) {
        MemorySegment ctx = call(() -> (MemorySegment) ctxNewFromPkey.invokeExact(MemorySegment.NULL, template, MemorySegment.NULL));
        try {
            require(ctx, "EVP_PKEY_CTX_new_from_pkey");
            require(call(() -> (int) keygenInit.invokeExact(ctx)), "EVP_PKEY_keygen_init");
            MemorySegment out = arena.allocate(ADDRESS);
            require(call(() -> (int) generate.invokeExact(ctx, out)), "EVP_PKEY_generate");
            return out.get(ADDRESS, 0);
        }
        finally {
            freeCtx(ctx);
        }
    }

    private MemorySegment generateByName(Arena arena) {
        MemorySegment ctx = call(() -> (MemorySegment) ctxNewFromName.invokeExact(MemorySegment.NULL, ec, MemorySegment.NULL));
        try {
            require(ctx, "EVP_PKEY_CTX_new_from_name");
            require(call(() -> (int) keygenInit.invokeExact(ctx)), "EVP_PKEY_keygen_init");
            require(call(() -> (int) setGroupName.invokeExact(ctx, p256)), "EVP_PKEY_CTX_set_group_name");
            MemorySegment out = arena.allocate(ADDRESS);
            require(call(() -> (int) generate.invokeExact(ctx, out)), "EVP_PKEY_generate");
            return out.get(ADDRESS, 0);
        }
        finally {
            freeCtx(ctx);
        }
    }

    private byte[] publicPoint(Arena arena, MemorySegment key) {
        MemorySegment buffer = arena.allocate(P256.PUBLIC_KEY_BYTES);
        MemorySegment length = arena.allocate(JAVA_LONG);
        require(call(() -> (int) getOctetStringParam.invokeExact(key, pub, buffer, (long) P256.PUBLIC_KEY_BYTES, length)),
                "EVP_PKEY_get_octet_string_param(pub)");
        byte[] point = buffer.toArray(JAVA_BYTE);
        if (length.get(JAVA_LONG, 0) != P256.PUBLIC_KEY_BYTES || point[0] != 0x04) {
            throw new IllegalStateException("OpenSSL gave a public key that is not a 65-byte uncompressed point");
        }
        return point;
    }

    private byte[] derive(Arena arena, MemorySegment own, MemorySegment peer) {
        MemorySegment ctx = call(() -> (MemorySegment) ctxNewFromPkey.invokeExact(MemorySegment.NULL, own, MemorySegment.NULL));
        try {
            require(ctx, "EVP_PKEY_CTX_new_from_pkey");
            require(call(() -> (int) deriveInit.invokeExact(ctx)), "EVP_PKEY_derive_init");
            // validated on import (on the curve; cofactor 1): no second check
            require(call(() -> (int) deriveSetPeer.invokeExact(ctx, peer, 0)), "EVP_PKEY_derive_set_peer_ex");
            MemorySegment secret = arena.allocate(32);
            MemorySegment length = arena.allocate(JAVA_LONG);
            length.set(JAVA_LONG, 0, 32L);
            require(call(() -> (int) derive.invokeExact(ctx, secret, length)), "EVP_PKEY_derive");
            if (length.get(JAVA_LONG, 0) != 32) {
                throw new IllegalStateException("OpenSSL derived " + length.get(JAVA_LONG, 0) + " bytes, not 32");
            }
            return secret.toArray(JAVA_BYTE);
        }
        finally {
            freeCtx(ctx);
        }
    }

    private void free(MemorySegment key) {
        if (!key.equals(MemorySegment.NULL)) {
            call(() -> {
                pkeyFree.invokeExact(key);
                return 0;
            });
        }
    }

    private void freeCtx(MemorySegment ctx) {
        if (!ctx.equals(MemorySegment.NULL)) {
            call(() -> {
                ctxFree.invokeExact(ctx);
                return 0;
            });
        }
    }

    private void require(int result, String function) {
        if (result != 1) {
            clearErrors();
            throw new IllegalStateException(function + " failed");
        }
    }

    private void require(MemorySegment pointer, String function) {
        if (pointer.equals(MemorySegment.NULL)) {
            clearErrors();
            throw new IllegalStateException(function + " failed");
        }
    }

    private void clearErrors() {
        call(() -> {
            errClear.invokeExact();
            return 0;
        });
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

    private interface NativeCall<T> {
        T run() throws Throwable;
    }

    private static <T> T call(NativeCall<T> call) {
        try {
            return call.run();
        }
        catch (RuntimeException | Error e) {
            throw e;
        }
        catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    private static MethodHandle handle(Linker linker, SymbolLookup lib, String name, FunctionDescriptor descriptor) {
        return linker.downcallHandle(lib.findOrThrow(name), descriptor);
    }
}
