package dev.rdeportal.gateway;

import dev.rdeportal.proto.JoinToken;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.net.ssl.SSLException;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.util.IPAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's server certificate chain and key, and the fingerprint agents pin.
 *
 * <p>Two sources. Configured PEM files ({@code rde.gateway.tls.certificate}/{@code private-key})
 * are used as they are; the last certificate of the chain is taken as the CA. Otherwise (embedded
 * mode) an EC P-256 CA valid for ten years and a server certificate signed by it are generated on
 * first start and kept under {@code rde.gateway.tls.data-dir} as {@code ca.pem},
 * {@code ca-key.pem}, {@code server.pem} and {@code server-key.pem}. The CA is never replaced
 * automatically: its fingerprint is baked into every join token and pinned by every agent. The
 * server certificate is cheap to replace and is re-issued when the configured host names changed,
 * when it was not issued by the current CA, or when it is about to expire.
 */
public final class TlsMaterial {

    private static final Logger log = LoggerFactory.getLogger(TlsMaterial.class);

    static final String CA_CERT = "ca.pem";
    static final String CA_KEY = "ca-key.pem";
    static final String SERVER_CERT = "server.pem";
    static final String SERVER_KEY = "server-key.pem";

    private static final Duration CA_VALIDITY = Duration.ofDays(3653);
    private static final Duration SERVER_VALIDITY = Duration.ofDays(730);
    private static final Duration RENEW_BEFORE = Duration.ofDays(30);
    // Tolerates a little clock skew between the gateway and agents.
    private static final Duration BACKDATE = Duration.ofHours(1);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> WORLD_READABLE = PosixFilePermissions.fromString("rw-r--r--");

    private final List<X509Certificate> chain;
    private final PrivateKey privateKey;
    private final String caFingerprint;

    private TlsMaterial(List<X509Certificate> chain, PrivateKey privateKey) {
        this.chain = List.copyOf(chain);
        this.privateKey = privateKey;
        this.caFingerprint = fingerprint(caCertificate());
    }

    /** Reads the configured files, or generates/reuses the embedded CA; fails with the file at fault. */
    public static TlsMaterial load(GatewayProperties.Tls tls, Clock clock) {
        if (tls.configured()) {
            List<X509Certificate> chain = readCertificates(tls.certificate());
            PrivateKey key = readPrivateKey(tls.privateKey());
            log.info("using configured TLS certificate {} ({} certificate(s) in the chain)",
                    tls.certificate(), chain.size());
            return new TlsMaterial(chain, key);
        }
        return embedded(tls.dataDir(), tls.hostnames(), clock);
    }

    /** Lower-case hex SHA-256 of the CA certificate's DER encoding, as carried by join tokens. */
    public String caFingerprint() {
        return caFingerprint;
    }

    public X509Certificate caCertificate() {
        return chain.get(chain.size() - 1);
    }

    /** The CA certificate as PEM, for agents started with {@code --ca-cert}. */
    public String caCertificatePem() {
        StringWriter out = new StringWriter();
        writePem(out, caCertificate());
        return out.toString();
    }

    /** The chain the server presents: its own certificate first, the CA last. */
    List<X509Certificate> certificateChain() {
        return chain;
    }

    SslContext serverSslContext() {
        try {
            return GrpcSslContexts.configure(
                    SslContextBuilder.forServer(privateKey, chain.toArray(X509Certificate[]::new))).build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot build the gateway TLS context: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "TlsMaterial[ca=" + caFingerprint + ", chain=" + chain.size() + "]";
    }

    // ---- embedded CA ------------------------------------------------------------------------

    private record Issued(X509Certificate certificate, PrivateKey key) {
    }

    private static TlsMaterial embedded(Path dir, List<String> hostnames, Clock clock) {
        try {
            createPrivateDirectory(dir);
            Path caCert = dir.resolve(CA_CERT);
            Path caKey = dir.resolve(CA_KEY);
            Issued ca;
            if (Files.exists(caCert) && Files.exists(caKey)) {
                ca = new Issued(readCertificates(caCert).get(0), readPrivateKey(caKey));
                tightenPermissions(caKey);
            } else if (Files.exists(caCert) || Files.exists(caKey)) {
                // Regenerating here would silently break every agent that pinned the old CA.
                throw new IllegalStateException("incomplete gateway CA in " + dir + ": " + CA_CERT + " and " + CA_KEY
                        + " must both exist; restore the missing file, or remove both to start a new CA "
                        + "(every agent must then join again)");
            } else {
                ca = generateCa(clock);
                write(caCert, ca.certificate(), false);
                write(caKey, new JcaPKCS8Generator(ca.key(), null), true);
                log.info("generated a new gateway CA in {} (fingerprint {})", dir, fingerprint(ca.certificate()));
            }

            Path serverCert = dir.resolve(SERVER_CERT);
            Path serverKey = dir.resolve(SERVER_KEY);
            Issued server = null;
            String renewal = "none yet";
            if (Files.exists(serverCert) && Files.exists(serverKey)) {
                Issued existing = new Issued(readCertificates(serverCert).get(0), readPrivateKey(serverKey));
                renewal = renewalReason(existing.certificate(), ca.certificate(), hostnames, clock.instant());
                if (renewal == null) {
                    tightenPermissions(serverKey);
                    server = existing;
                }
            }
            if (server == null) {
                server = issueServer(ca, hostnames, clock);
                write(serverKey, new JcaPKCS8Generator(server.key(), null), true);
                write(serverCert, server.certificate(), false);
                log.info("issued the gateway server certificate for {} (previous: {})", hostnames, renewal);
            }
            return new TlsMaterial(List.of(server.certificate(), ca.certificate()), server.key());
        } catch (IOException e) {
            throw new UncheckedIOException("gateway TLS material in " + dir + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot generate gateway TLS material: " + e.getMessage(), e);
        }
    }

    /** Why the stored server certificate cannot be used any more, or null if it can. */
    private static String renewalReason(X509Certificate server, X509Certificate ca, List<String> hostnames,
                                        Instant now) {
        try {
            server.verify(ca.getPublicKey());
        } catch (GeneralSecurityException e) {
            return "not issued by the current CA";
        }
        if (!subjectAltNames(server).equals(normalized(hostnames))) {
            return "issued for other host names";
        }
        if (server.getNotAfter().toInstant().isBefore(now.plus(RENEW_BEFORE))) {
            return "expires " + server.getNotAfter().toInstant();
        }
        return null;
    }

    private static Issued generateCa(Clock clock) throws GeneralSecurityException, OperatorCreationException,
            IOException {
        KeyPair keys = ecKeys();
        X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, "RDE Portal gateway CA").build();
        Instant now = clock.instant();
        JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(),
                Date.from(now.minus(BACKDATE)), Date.from(now.plus(CA_VALIDITY)), name, keys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                .addExtension(Extension.subjectKeyIdentifier, false,
                        extensions.createSubjectKeyIdentifier(keys.getPublic()));
        return new Issued(sign(builder, keys.getPrivate()), keys.getPrivate());
    }

    private static Issued issueServer(Issued ca, List<String> hostnames, Clock clock)
            throws GeneralSecurityException, OperatorCreationException, IOException {
        KeyPair keys = ecKeys();
        X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, "RDE Portal gateway").build();
        Instant now = clock.instant();
        Instant notAfter = now.plus(SERVER_VALIDITY);
        if (notAfter.isAfter(ca.certificate().getNotAfter().toInstant())) {
            notAfter = ca.certificate().getNotAfter().toInstant();
        }
        GeneralName[] names = hostnames.stream()
                .map(h -> IPAddress.isValid(h)
                        ? new GeneralName(GeneralName.iPAddress, h)
                        : new GeneralName(GeneralName.dNSName, h))
                .toArray(GeneralName[]::new);
        JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca.certificate(), serial(),
                Date.from(now.minus(BACKDATE)), Date.from(notAfter), name, keys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names))
                .addExtension(Extension.subjectKeyIdentifier, false,
                        extensions.createSubjectKeyIdentifier(keys.getPublic()))
                .addExtension(Extension.authorityKeyIdentifier, false,
                        extensions.createAuthorityKeyIdentifier(ca.certificate()));
        return new Issued(sign(builder, ca.key()), keys.getPrivate());
    }

    private static KeyPair ecKeys() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return generator.generateKeyPair();
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer)
            throws OperatorCreationException, GeneralSecurityException {
        ContentSigner contentSigner = new JcaContentSignerBuilder("SHA256withECDSA").build(signer);
        return new JcaX509CertificateConverter().getCertificate(builder.build(contentSigner));
    }

    private static BigInteger serial() {
        return new BigInteger(127, RANDOM).add(BigInteger.ONE);
    }

    private static Set<String> subjectAltNames(X509Certificate certificate) {
        Set<String> names = new HashSet<>();
        try {
            Collection<List<?>> entries = certificate.getSubjectAlternativeNames();
            if (entries != null) {
                for (List<?> entry : entries) {
                    names.add(normalize(String.valueOf(entry.get(1))));
                }
            }
        } catch (CertificateParsingException e) {
            return Set.of();
        }
        return names;
    }

    private static Set<String> normalized(List<String> hostnames) {
        Set<String> names = new HashSet<>();
        hostnames.forEach(h -> names.add(normalize(h)));
        return names;
    }

    /** "::1" and "0:0:0:0:0:0:0:1" are the same address; DNS names are case-insensitive. */
    private static String normalize(String host) {
        if (IPAddress.isValid(host)) {
            try {
                // A literal: parsed, never resolved.
                return InetAddress.getByName(host).getHostAddress();
            } catch (UnknownHostException e) {
                return host;
            }
        }
        return host.toLowerCase(Locale.ROOT);
    }

    // ---- PEM files --------------------------------------------------------------------------

    static List<X509Certificate> readCertificates(Path file) {
        List<X509Certificate> certificates = new ArrayList<>();
        try (PEMParser parser = new PEMParser(Files.newBufferedReader(file, StandardCharsets.US_ASCII))) {
            JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
            for (Object item = parser.readObject(); item != null; item = parser.readObject()) {
                if (item instanceof X509CertificateHolder holder) {
                    certificates.add(converter.getCertificate(holder));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read certificate " + file + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("invalid certificate in " + file + ": " + e.getMessage(), e);
        }
        if (certificates.isEmpty()) {
            throw new IllegalStateException(file + " holds no PEM certificate");
        }
        return certificates;
    }

    static PrivateKey readPrivateKey(Path file) {
        try (PEMParser parser = new PEMParser(Files.newBufferedReader(file, StandardCharsets.US_ASCII))) {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            for (Object item = parser.readObject(); item != null; item = parser.readObject()) {
                if (item instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
                if (item instanceof PEMKeyPair pair) {
                    return converter.getKeyPair(pair).getPrivate();
                }
                if (item instanceof PEMEncryptedKeyPair || item instanceof PKCS8EncryptedPrivateKeyInfo) {
                    throw new IllegalStateException("private key " + file
                            + " is encrypted; the gateway needs an unencrypted key protected by file permissions");
                }
                // Anything else (an "EC PARAMETERS" block before the key) is skipped.
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read private key " + file + ": " + e.getMessage(), e);
        }
        throw new IllegalStateException(file + " holds no PEM private key");
    }

    /** Writes beside the target and renames, so a crash never leaves half a key behind. */
    private static void write(Path target, Object pemObject, boolean secret) throws IOException {
        boolean posix = isPosix();
        Path temp = posix
                ? Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp",
                        PosixFilePermissions.asFileAttribute(OWNER_ONLY))
                : Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
        try {
            try (Writer out = Files.newBufferedWriter(temp, StandardCharsets.US_ASCII)) {
                writePem(out, pemObject);
            }
            if (posix && !secret) {
                Files.setPosixFilePermissions(temp, WORLD_READABLE);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static void writePem(Writer out, Object pemObject) {
        try (JcaPEMWriter pem = new JcaPEMWriter(out)) {
            pem.writeObject(pemObject);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void createPrivateDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        if (isPosix()) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } else {
            Files.createDirectories(dir);
        }
    }

    /** A key copied in by hand may have been left readable by others: a key is only as safe as its file. */
    private static void tightenPermissions(Path key) throws IOException {
        if (isPosix() && !Files.getPosixFilePermissions(key).equals(OWNER_ONLY)) {
            Files.setPosixFilePermissions(key, OWNER_ONLY);
            log.warn("{} was readable by others; restricted it to its owner", key);
        }
    }

    private static boolean isPosix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    static String fingerprint(X509Certificate certificate) {
        try {
            return JoinToken.sha256Hex(certificate.getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encode certificate " + certificate.getSubjectX500Principal(), e);
        }
    }
}
