package dev.rdeportal.gateway.ticket;

import static org.assertj.core.api.Assumptions.assumeThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The databases the gateway's stores run on, with the real migrations applied by Flyway: H2 in
 * PostgreSQL mode (always) and PostgreSQL (when {@code RDE_TEST_DATABASE_URL} names a server, as
 * {@code .ci/run} sets it up; a fresh database each time, dropped when the JVM exits, as the
 * portal's {@code TestDatabase} does).
 */
public final class TestDatabases {

    private static final List<String> created = new ArrayList<>();

    private TestDatabases() {
    }

    public static Stream<String> kinds() {
        return Stream.of("h2", "postgresql");
    }

    public static JdbcTemplate create(String kind) throws Exception {
        DriverManagerDataSource dataSource;
        if (kind.equals("h2")) {
            dataSource = new DriverManagerDataSource("jdbc:h2:mem:" + UUID.randomUUID()
                    + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1", "sa", "");
        } else {
            String server = System.getenv("RDE_TEST_DATABASE_URL");
            assumeThat(server).as("RDE_TEST_DATABASE_URL for the PostgreSQL variant").isNotBlank();
            String user = System.getenv().getOrDefault("RDE_TEST_DATABASE_USER", "rde");
            String password = System.getenv().getOrDefault("RDE_TEST_DATABASE_PASSWORD", "rde");
            String name = "rde_gateway_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            try (Connection c = DriverManager.getConnection(server, user, password); Statement st = c.createStatement()) {
                st.execute("CREATE DATABASE " + name);
            }
            synchronized (created) {
                if (created.isEmpty()) {
                    Runtime.getRuntime().addShutdownHook(new Thread(() -> dropAll(server, user, password),
                            "rde-test-databases"));
                }
                created.add(name);
            }
            dataSource = new DriverManagerDataSource(server.substring(0, server.lastIndexOf('/') + 1) + name, user, password);
        }
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        return new JdbcTemplate(dataSource);
    }

    /** Drops this JVM's databases, best effort ({@code .ci/run} sweeps what a killed build leaves). */
    private static void dropAll(String server, String user, String password) {
        List<String> names;
        synchronized (created) {
            names = List.copyOf(created);
        }
        try (Connection c = DriverManager.getConnection(server, user, password); Statement st = c.createStatement()) {
            for (String name : names) {
                st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            }
        } catch (SQLException e) {
            System.err.println("test databases left on " + server + ": " + e.getMessage());
        }
    }
}
