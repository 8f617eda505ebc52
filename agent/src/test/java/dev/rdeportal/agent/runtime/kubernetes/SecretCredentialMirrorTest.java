package dev.rdeportal.agent.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@EnableKubernetesMockClient(crud = true)
class SecretCredentialMirrorTest {

    static KubernetesClient client;

    private static final SecretCredentialMirror.Location WHERE = SecretCredentialMirror.Location.parse("secret:rde-system/rde-agent-credential");

    @TempDir
    Path dataDir;

    @AfterEach
    void clean() {
        client.secrets().inAnyNamespace().delete();
    }

    @Test
    void aCredentialWrittenAfterJoiningIsStoredAndARestartedPodGetsItBack() throws Exception {
        try (SecretCredentialMirror mirror = start(dataDir)) {
            Files.writeString(dataDir.resolve("credential.json"), "{\"agentId\":\"a-1\",\"secret\":\"s3cr3t\"}");
            Files.writeString(dataDir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----");
            mirror.sync();
        }
        Secret stored = client.secrets().inNamespace("rde-system").withName("rde-agent-credential").get();
        assertThat(stored.getData()).containsKeys("credential.json", "ca.pem");

        Path freshPod = Files.createDirectory(dataDir.resolve("fresh"));
        try (SecretCredentialMirror ignored = start(freshPod)) {
            assertThat(Files.readString(freshPod.resolve("credential.json"))).contains("s3cr3t");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(freshPod.resolve("credential.json"))))
                    .isEqualTo("rw-------");
        }
    }

    @Test
    void theSecretWinsOverAStaleFile() throws Exception {
        client.secrets().inNamespace("rde-system").resource(new SecretBuilder()
                .withNewMetadata().withName("rde-agent-credential").withNamespace("rde-system").endMetadata()
                .addToData("credential.json", Base64.getEncoder().encodeToString("{\"new\":1}".getBytes(StandardCharsets.UTF_8)))
                .build()).create();
        Files.writeString(dataDir.resolve("credential.json"), "{\"old\":1}");

        try (SecretCredentialMirror ignored = start(dataDir)) {
            assertThat(Files.readString(dataDir.resolve("credential.json"))).isEqualTo("{\"new\":1}");
        }
    }

    @Test
    void theFlagNamesANamespaceAndASecret() {
        assertThat(WHERE).isEqualTo(new SecretCredentialMirror.Location("rde-system", "rde-agent-credential"));
        assertThatThrownBy(() -> SecretCredentialMirror.Location.parse("secret:only-a-name"))
                .hasMessageContaining("secret:<namespace>/<name>");
    }

    private static SecretCredentialMirror start(Path dir) throws Exception {
        return SecretCredentialMirror.start(client, WHERE, dir, Duration.ofHours(1), Applier.CREATE_OR_REPLACE);
    }
}
