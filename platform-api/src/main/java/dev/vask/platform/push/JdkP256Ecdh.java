package dev.vask.platform.push;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;

import javax.crypto.KeyAgreement;

/** P-256 ECDH with the JDK's SunEC provider: always there, but it spends a second scalar multiplication validating the peer. */
final class JdkP256Ecdh implements P256Ecdh {

    static final JdkP256Ecdh INSTANCE = new JdkP256Ecdh();

    private JdkP256Ecdh() {
    }

    @Override
    public Agreement agree(byte[] peerPublic) {
        ECPublicKey peer = P256.decodePublic(peerPublic);
        KeyPair ephemeral = P256.generate();
        return new Agreement(P256.encodePublic((ECPublicKey) ephemeral.getPublic()), agree((ECPrivateKey) ephemeral.getPrivate(), peer));
    }

    @Override
    public byte[] agree(byte[] ownPrivate, byte[] peerPublic) {
        return agree(P256.decodePrivate(ownPrivate), P256.decodePublic(peerPublic));
    }

    static byte[] agree(ECPrivateKey own, ECPublicKey peer) {
        try {
            KeyAgreement agreement = KeyAgreement.getInstance("ECDH");
            agreement.init(own);
            agreement.doPhase(peer, true);
            return agreement.generateSecret();
        }
        catch (GeneralSecurityException e) {
            throw new IllegalStateException("P-256 ECDH failed", e);
        }
    }

    @Override
    public String name() {
        return "the JDK (SunEC)";
    }
}
