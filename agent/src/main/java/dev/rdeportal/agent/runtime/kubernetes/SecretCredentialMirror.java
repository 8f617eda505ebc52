package dev.rdeportal.agent.runtime.kubernetes;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the agent's credential ({@code credential.json}, {@code ca.pem} in the data directory) in a
 * Kubernetes Secret, for {@code --credential-store secret:<namespace>/<name>}: a restarted pod on an
 * empty data directory gets them back before the tunnel reads them, so it reconnects without a new
 * join token. The tunnel keeps writing plain files; this mirror copies them into the Secret when they
 * change (polled) and once more on close. The files' contents are never logged.
 */
public final class SecretCredentialMirror implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger("rde.agent.credential-secret");
    private static final Pattern SPEC = Pattern.compile("secret:([a-z0-9]([-a-z0-9]*[a-z0-9])?)/([a-z0-9]([-.a-z0-9]*[a-z0-9])?)");
    static final List<String> FILES = List.of("credential.json", "ca.pem");

    private final KubernetesClient client;
    private final String namespace;
    private final String name;
    private final Path dataDir;
    private final Applier applier;
    private final ScheduledExecutorService poller;
    private Map<String, byte[]> mirrored = Map.of();

    /** Where: {@code secret:<namespace>/<name>}. */
    public record Location(String namespace, String name) {
        public static Location parse(String flag) {
            Matcher m = SPEC.matcher(flag == null ? "" : flag.strip());
            if (!m.matches()) {
                throw new IllegalArgumentException("--credential-store must be file or secret:<namespace>/<name>, got '" + flag + "'");
            }
            return new Location(m.group(1), m.group(3));
        }
    }

    private SecretCredentialMirror(KubernetesClient client, Location location, Path dataDir, Applier applier) {
        this.client = Objects.requireNonNull(client, "client");
        this.applier = applier;
        this.namespace = location.namespace();
        this.name = location.name();
        this.dataDir = dataDir;
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rde-credential-secret");
            t.setDaemon(true);
            return t;
        });
    }

    /** Restores the files from the Secret (the Secret wins), then mirrors changes every {@code interval}. */
    public static SecretCredentialMirror start(KubernetesClient client, Location location, Path dataDir, Duration interval)
            throws IOException {
        return start(client, location, dataDir, interval, Applier.SERVER_SIDE);
    }

    static SecretCredentialMirror start(KubernetesClient client, Location location, Path dataDir, Duration interval,
                                        Applier applier) throws IOException {
        SecretCredentialMirror mirror = new SecretCredentialMirror(client, location, dataDir, applier);
        mirror.restore();
        long every = interval.toMillis();
        mirror.poller.scheduleWithFixedDelay(mirror::syncQuietly, every, every, TimeUnit.MILLISECONDS);
        return mirror;
    }

    void restore() throws IOException {
        Secret secret;
        try {
            secret = client.secrets().inNamespace(namespace).withName(name).get();
        } catch (KubernetesClientException e) {
            throw new IOException("read agent credential from secret " + namespace + "/" + name + ": HTTP " + e.getCode(), e);
        }
        Files.createDirectories(dataDir);
        Map<String, byte[]> restored = new LinkedHashMap<>();
        if (secret != null && secret.getData() != null) {
            for (String file : FILES) {
                String value = secret.getData().get(file);
                if (value != null) {
                    byte[] bytes = Base64.getDecoder().decode(value);
                    writeOwnerOnly(dataDir.resolve(file), bytes);
                    restored.put(file, bytes);
                }
            }
        }
        mirrored = restored;
        log.info("agent credential: {} file(s) restored from secret {}/{}", restored.size(), namespace, name);
        sync(); // files present locally but not yet in the Secret (a data directory from before the flag)
    }

    /** Copies the files into the Secret when they differ from what was last mirrored. */
    synchronized void sync() throws IOException {
        Map<String, byte[]> current = new LinkedHashMap<>();
        for (String file : FILES) {
            Path path = dataDir.resolve(file);
            if (Files.isRegularFile(path)) {
                current.put(file, Files.readAllBytes(path));
            }
        }
        if (current.isEmpty() || sameContent(current, mirrored)) {
            return;
        }
        Map<String, String> data = new LinkedHashMap<>();
        current.forEach((file, bytes) -> data.put(file, Base64.getEncoder().encodeToString(bytes)));
        Secret secret = new SecretBuilder()
                .withNewMetadata().withName(name).withNamespace(namespace)
                .addToLabels(WorkspaceObjects.MANAGED_BY, WorkspaceObjects.AGENT).endMetadata()
                .withType("Opaque").withData(data).build();
        try {
            applier.apply(client, secret);
        } catch (KubernetesClientException e) {
            throw new IOException("store agent credential in secret " + namespace + "/" + name + ": HTTP " + e.getCode(), e);
        }
        mirrored = current;
        log.info("agent credential stored in secret {}/{}", namespace, name);
    }

    private void syncQuietly() {
        try {
            sync();
        } catch (IOException | RuntimeException e) {
            log.warn("{}; retrying", e.getMessage());
        }
    }

    /** One last copy: a credential obtained just before shutdown must not be lost with the pod. */
    @Override
    public void close() {
        poller.shutdownNow();
        syncQuietly();
    }

    private static boolean sameContent(Map<String, byte[]> a, Map<String, byte[]> b) {
        return a.keySet().equals(b.keySet()) && a.entrySet().stream().allMatch(e -> Arrays.equals(e.getValue(), b.get(e.getKey())));
    }

    private static void writeOwnerOnly(Path file, byte[] bytes) throws IOException {
        Path temp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(temp, bytes);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
