package dev.rdeportal.gateway.terminal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.rdeportal.proto.JoinToken;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Tickets on both databases the portal runs on: H2 in PostgreSQL mode (always) and PostgreSQL
 * (when {@code RDE_TEST_DATABASE_URL} names a server, as {@code .ci/run} sets it up). The
 * migration is the real one, applied by Flyway.
 */
class TerminalTicketsTest {

    static Stream<String> databases() {
        return Stream.of("h2", "postgresql");
    }

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-03-01T10:00:00Z"));
    private final Clock clock = new Clock() {
        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };

    private JdbcTemplate database(String kind) throws Exception {
        DriverManagerDataSource dataSource;
        if (kind.equals("h2")) {
            dataSource = new DriverManagerDataSource("jdbc:h2:mem:" + UUID.randomUUID()
                    + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1", "sa", "");
        } else {
            String server = System.getenv("RDE_TEST_DATABASE_URL");
            assumeThat(server).as("RDE_TEST_DATABASE_URL for the PostgreSQL variant").isNotBlank();
            String user = System.getenv().getOrDefault("RDE_TEST_DATABASE_USER", "rde");
            String password = System.getenv().getOrDefault("RDE_TEST_DATABASE_PASSWORD", "rde");
            String name = "rde_tickets_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            try (Connection c = DriverManager.getConnection(server, user, password); Statement st = c.createStatement()) {
                st.execute("CREATE DATABASE " + name);
            }
            dataSource = new DriverManagerDataSource(server.substring(0, server.lastIndexOf('/') + 1) + name, user, password);
        }
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        return new JdbcTemplate(dataSource);
    }

    private TerminalTickets tickets(JdbcTemplate jdbc) {
        return new TerminalTickets(jdbc, clock, Duration.ofSeconds(30), new SecureRandom());
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aTicketWorksOnceForItsWorkspaceAndUser(String db) throws Exception {
        TerminalTickets tickets = tickets(database(db));
        TerminalTickets.Issued issued = tickets.issue("w1", "c1", "alice@example.com");

        assertThat(issued.ticket()).matches("[A-Za-z0-9_-]{43}");
        assertThat(issued.expiresAt()).isEqualTo(now.get().plusSeconds(30));
        assertThat(tickets.redeem(issued.ticket(), "w1")).isEqualTo(
                new TerminalTickets.Accepted(new TerminalTickets.Holder("w1", "c1", "alice@example.com")));
        assertThat(tickets.redeem(issued.ticket(), "w1"))
                .isEqualTo(new TerminalTickets.Refused("unknown, already used or expired ticket", null));
    }

    @ParameterizedTest
    @MethodSource("databases")
    void anExpiredTicketIsRefused(String db) throws Exception {
        TerminalTickets tickets = tickets(database(db));
        TerminalTickets.Issued issued = tickets.issue("w1", "c1", "alice@example.com");
        TerminalTickets.Issued stillValid = tickets.issue("w1", "c1", "alice@example.com");
        now.set(now.get().plusSeconds(29));
        assertThat(tickets.redeem(stillValid.ticket(), "w1")).isInstanceOf(TerminalTickets.Accepted.class);
        now.set(now.get().plusSeconds(2)); // 31 s after issue
        assertThat(tickets.redeem(issued.ticket(), "w1"))
                .isEqualTo(new TerminalTickets.Refused("unknown, already used or expired ticket", null));
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aTicketForAnotherWorkspaceIsRefusedAndSpent(String db) throws Exception {
        TerminalTickets tickets = tickets(database(db));
        TerminalTickets.Issued issued = tickets.issue("w1", "c1", "alice@example.com");
        assertThat(tickets.redeem(issued.ticket(), "w2"))
                .isEqualTo(new TerminalTickets.Refused("ticket issued for another workspace", "alice@example.com"));
        assertThat(tickets.redeem(issued.ticket(), "w1")).isInstanceOf(TerminalTickets.Refused.class);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void malformedTicketsAreRefusedWithoutTouchingTheDatabase(String db) throws Exception {
        TerminalTickets tickets = tickets(database(db));
        for (String malformed : new String[] {null, "", "short", "x".repeat(44), "+".repeat(43), "' OR 1=1 --"}) {
            assertThat(tickets.redeem(malformed, "w1")).isEqualTo(new TerminalTickets.Refused("malformed ticket", null));
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void onlyTheHashIsStoredAndExpiredRowsAreSwept(String db) throws Exception {
        JdbcTemplate jdbc = database(db);
        TerminalTickets tickets = tickets(jdbc);
        TerminalTickets.Issued first = tickets.issue("w1", "c1", "alice@example.com");
        List<Map<String, Object>> rows = jdbc.queryForList("SELECT * FROM terminal_ticket");
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).get("ticket_hash")).isEqualTo(JoinToken.sha256Hex(first.ticket()));
        assertThat(rows.get(0).values()).noneMatch(v -> String.valueOf(v).contains(first.ticket()));
        assertThat(first.toString()).doesNotContain(first.ticket());

        now.set(now.get().plusSeconds(60));
        tickets.issue("w1", "c1", "alice@example.com");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM terminal_ticket", Long.class)).isEqualTo(1);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void concurrentRedemptionsOfOneTicketHaveExactlyOneWinner(String db) throws Exception {
        TerminalTickets tickets = tickets(database(db));
        TerminalTickets.Issued issued = tickets.issue("w1", "c1", "alice@example.com");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<TerminalTickets.Redemption>> attempts = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                attempts.add(pool.submit(() -> {
                    go.await();
                    return tickets.redeem(issued.ticket(), "w1");
                }));
            }
            go.countDown();
            long accepted = 0;
            for (Future<TerminalTickets.Redemption> attempt : attempts) {
                if (attempt.get(10, TimeUnit.SECONDS) instanceof TerminalTickets.Accepted) {
                    accepted++;
                }
            }
            assertThat(accepted).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }
}
