package dev.rdeportal.agent.tunnel;

import dev.rdeportal.proto.JoinToken;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * First-contact trust from a join token: the gateway's chain must contain the certificate whose
 * SHA-256 (of its DER encoding) the token names, and must validate (PKIX, with hostname
 * verification) against that certificate as the only trust anchor. So the gateway has to send its
 * CA certificate in the chain. The certificate that matched is kept, to be written as ca.pem.
 */
final class PinnedCaTrustManager extends X509ExtendedTrustManager {

    private final String fingerprint;
    private volatile X509Certificate pinned;

    PinnedCaTrustManager(String fingerprint) {
        if (fingerprint == null || !fingerprint.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("CA fingerprint must be 64 lower-case hex digits");
        }
        this.fingerprint = fingerprint;
    }

    /** The CA that matched the fingerprint in the last accepted handshake, if any. */
    X509Certificate pinnedCa() {
        return pinned;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        anchoredAt(chain).checkServerTrusted(chain, authType, engine);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        anchoredAt(chain).checkServerTrusted(chain, authType, socket);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        anchoredAt(chain).checkServerTrusted(chain, authType);
    }

    private X509ExtendedTrustManager anchoredAt(X509Certificate[] chain) throws CertificateException {
        if (chain == null) {
            throw new CertificateException("gateway sent no certificate");
        }
        for (X509Certificate candidate : chain) {
            if (fingerprint.equals(sha256(candidate))) {
                X509ExtendedTrustManager pkix = onlyAnchor(candidate);
                pinned = candidate;
                return pkix;
            }
        }
        throw new CertificateException("gateway certificate chain does not contain the CA pinned by the join token (sha256 "
                + fingerprint.substring(0, 12) + "…)");
    }

    static String sha256(X509Certificate certificate) throws CertificateEncodingException {
        return JoinToken.sha256Hex(certificate.getEncoded());
    }

    private static X509ExtendedTrustManager onlyAnchor(X509Certificate ca) throws CertificateException {
        try {
            KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
            anchors.load(null, null);
            anchors.setCertificateEntry("pinned-ca", ca);
            TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
            factory.init(anchors);
            for (TrustManager tm : factory.getTrustManagers()) {
                if (tm instanceof X509ExtendedTrustManager extended) {
                    return extended;
                }
            }
            throw new CertificateException("no PKIX trust manager available");
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new CertificateException("set up trust in the pinned CA: " + e.getMessage(), e);
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        throw new CertificateException("the agent does not accept client connections");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        throw new CertificateException("the agent does not accept client connections");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("the agent does not accept client connections");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        X509Certificate ca = pinned;
        return ca == null ? new X509Certificate[0] : new X509Certificate[] {ca};
    }
}
