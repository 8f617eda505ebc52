package dev.rdeportal.portal.support;

import dev.rdeportal.portal.PortalApplication;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The whole portal in this JVM (identity provider + control plane, as {@code java -jar} starts it)
 * on free ports, against a PostgreSQL test database, optionally with its local agent process.
 */
public final class PortalHarness implements AutoCloseable {

    public static final Path AGENT_JAR = Path.of("..", "agent", "target", "rde-agent.jar").toAbsolutePath().normalize();

    private final ConfigurableApplicationContext context;
    private final int portalPort;
    private final int identityPort;
    public final Path dataDir;

    private PortalHarness(ConfigurableApplicationContext context, int portalPort, int identityPort, Path dataDir) {
        this.context = context;
        this.portalPort = portalPort;
        this.identityPort = identityPort;
        this.dataDir = dataDir;
    }

    public static PortalHarness start(TestDatabase.Database db, Path dataDir, boolean localAgent, String... extra) {
        int identityPort = freePort();
        int portalPort = freePort();
        List<String> args = new ArrayList<>(List.of(
                "--rde.identity.port=" + identityPort,
                "--rde.portal.port=" + portalPort,
                "--rde.identity.allowed-origins=http://localhost:" + portalPort,
                "--rde.identity.ui-redirect-uris=http://localhost:" + portalPort + "/",
                "--rde.database.url=" + db.url(),
                "--rde.database.username=" + db.user(),
                "--rde.database.password=" + db.password(),
                "--rde.gateway.port=0",
                "--rde.gateway.tls.data-dir=" + dataDir.resolve("tls"),
                "--rde.embedded.agent-enabled=" + localAgent,
                "--rde.embedded.agent-data-dir=" + dataDir.resolve("agent"),
                "--rde.embedded.agent-jar=" + AGENT_JAR,
                "--rde.secrets.keyset-file=" + dataDir.resolve("secrets").resolve("keyset.json"),
                "--rde.audit.signing-keyset-file=" + dataDir.resolve("audit").resolve("signing-keyset.json"),
                // Tests fire many calls from one address; RateLimitPostgresTest lowers these through the settings.
                "--rde.rate-limits.requests-per-minute=100000",
                "--rde.rate-limits.launches-per-minute=100000",
                // Logs as files under the data dir too, so tests can assert what never reaches them.
                "--logging.file.name=" + dataDir.resolve("portal.log"),
                "--rde.embedded.agent-log-file=" + dataDir.resolve("agent.log")));
        args.addAll(List.of(extra));
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        ConfigurableApplicationContext context = PortalApplication.start(args.toArray(String[]::new));
        return new PortalHarness(context, portalPort, identityPort, dataDir);
    }

    public String baseUrl() {
        return "http://localhost:" + portalPort;
    }

    public String issuer() {
        return "http://localhost:" + identityPort;
    }

    public Api api() {
        return new Api(baseUrl());
    }

    public ConfigurableApplicationContext context() {
        return context;
    }

    /** Signs in through the embedded identity provider as the CLI does. */
    public String login(String email, String password) {
        return OidcLogin.accessToken(issuer(), "rde-cli", "http://127.0.0.1:" + (40000 + (int) (Math.random() * 20000))
                + "/callback", email, password);
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        // Closing the parent closes both children (identity provider and control plane).
        var parent = context.getParent();
        context.close();
        if (parent instanceof ConfigurableApplicationContext p) {
            p.close();
        }
        WorkspaceProcesses.killAll(dataDir.resolve("agent"));
    }
}
