package dev.rdeportal.portal.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * A throw-away PostgreSQL database per test class. Uses the server named by
 * {@code RDE_TEST_DATABASE_URL} (with {@code _USER}/{@code _PASSWORD}; {@code .ci/run} sets these up
 * on the machine's PostgreSQL), or a Testcontainers PostgreSQL when Docker is present. The databases
 * are dropped when the JVM exits: the machine's server outlives every build, and the 1,962 that nine
 * days of builds left behind (19 GB) made its crash recovery take over a minute.
 */
public final class TestDatabase {

    private static volatile Server server;
    private static final List<String> created = new ArrayList<>();

    public record Server(String url, String user, String password) {
    }

    public record Database(String url, String user, String password) {
    }

    private TestDatabase() {
    }

    public static Database create() {
        Server s = server();
        String name = "rde_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
        try (Connection c = DriverManager.getConnection(s.url(), s.user(), s.password());
             Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database on " + s.url() + ": " + e.getMessage(), e);
        }
        synchronized (created) {
            if (created.isEmpty()) {
                Runtime.getRuntime().addShutdownHook(new Thread(() -> dropAll(s), "rde-test-databases"));
            }
            created.add(name);
        }
        String base = s.url().substring(0, s.url().lastIndexOf('/') + 1);
        return new Database(base + name, s.user(), s.password());
    }

    /**
     * Drops this JVM's databases, best effort: a build that is killed leaves its own, which {@code
     * .ci/run} sweeps. {@code FORCE} ends connections that pools of contexts still closing hold.
     */
    private static void dropAll(Server s) {
        List<String> names;
        synchronized (created) {
            names = List.copyOf(created);
        }
        try (Connection c = DriverManager.getConnection(s.url(), s.user(), s.password());
             Statement st = c.createStatement()) {
            for (String name : names) {
                st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            }
        } catch (SQLException e) {
            System.err.println("test databases left on " + s.url() + ": " + e.getMessage());
        }
    }

    private static synchronized Server server() {
        if (server != null) {
            return server;
        }
        String url = System.getenv("RDE_TEST_DATABASE_URL");
        if (url != null && !url.isBlank()) {
            server = new Server(url, env("RDE_TEST_DATABASE_USER", "rde"), env("RDE_TEST_DATABASE_PASSWORD", "rde"));
            return server;
        }
        if (org.testcontainers.DockerClientFactory.instance().isDockerAvailable()) {
            var container = new org.testcontainers.postgresql.PostgreSQLContainer("postgres:15-alpine");
            container.start();
            server = new Server(container.getJdbcUrl(), container.getUsername(), container.getPassword());
            return server;
        }
        throw new IllegalStateException("PostgreSQL tests need RDE_TEST_DATABASE_URL (bash .ci/run sets it up) "
                + "or a Docker engine for Testcontainers");
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
