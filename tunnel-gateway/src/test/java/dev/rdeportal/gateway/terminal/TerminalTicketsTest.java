package dev.rdeportal.gateway.terminal;

import static org.assertj.core.api.Assertions.assertThat;


import dev.rdeportal.gateway.MutableClock;
import dev.rdeportal.gateway.ticket.TestDatabases;
import dev.rdeportal.proto.JoinToken;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.jdbc.core.JdbcTemplate;

/** Tickets on both databases the portal runs on ({@link TestDatabases}). */
class TerminalTicketsTest {

    static Stream<String> databases() {
        return TestDatabases.kinds();
    }

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    private final Now now = new Now();

    /** Reads and moves the clock as the tests below say it. */
    private final class Now {
        Instant get() {
            return clock.instant();
        }

        void set(Instant instant) {
            clock.set(instant);
        }
    }

    private static JdbcTemplate database(String kind) throws Exception {
        return TestDatabases.create(kind);
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
