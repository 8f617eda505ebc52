package dev.rdeportal.gateway.preview;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rdeportal.gateway.ticket.Secrets;
import dev.rdeportal.gateway.MutableClock;
import dev.rdeportal.gateway.ticket.TestDatabases;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.jdbc.core.JdbcTemplate;

/** Preview tickets and cookie sessions on both databases ({@link TestDatabases}), with a clock moved by hand. */
class PreviewStoresTest {

    static Stream<String> databases() {
        return TestDatabases.kinds();
    }

    static final PreviewOrigin ORIGIN = new PreviewOrigin("w1", 3000);
    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));

    private PreviewTickets tickets(JdbcTemplate jdbc) {
        return new PreviewTickets(jdbc, clock, Duration.ofSeconds(30), new Secrets(new SecureRandom()));
    }

    private PreviewSessions sessions(JdbcTemplate jdbc) {
        return new PreviewSessions(jdbc, clock, new Secrets(new SecureRandom()), Duration.ofHours(8), Duration.ofMinutes(30));
    }

    // ---- tickets -----------------------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("databases")
    void aTicketWorksOnceOnItsOriginForItsUser(String db) throws Exception {
        JdbcTemplate jdbc = TestDatabases.create(db);
        PreviewTickets tickets = tickets(jdbc);
        PreviewTickets.Issued issued = tickets.issue("w1", "c1", 3000, "alice@example.com");

        assertThat(issued.expiresAt()).isEqualTo(clock.instant().plusSeconds(30));
        assertThat(issued.toString()).doesNotContain(issued.ticket());
        assertThat(jdbc.queryForList("SELECT * FROM preview_ticket")).singleElement()
                .satisfies(row -> assertThat(row.values()).noneMatch(v -> String.valueOf(v).contains(issued.ticket())));
        assertThat(tickets.redeem(issued.ticket(), ORIGIN)).isEqualTo(
                new PreviewTickets.Accepted(new PreviewTickets.Holder("w1", "c1", 3000, "alice@example.com")));
        assertThat(tickets.redeem(issued.ticket(), ORIGIN))
                .isEqualTo(new PreviewTickets.Refused("unknown, already used or expired ticket", null));
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aTicketExpiresAfterItsTtl(String db) throws Exception {
        PreviewTickets tickets = tickets(TestDatabases.create(db));
        PreviewTickets.Issued expiring = tickets.issue("w1", "c1", 3000, "alice@example.com");
        PreviewTickets.Issued stillValid = tickets.issue("w1", "c1", 3000, "alice@example.com");
        clock.advance(Duration.ofSeconds(29));
        assertThat(tickets.redeem(stillValid.ticket(), ORIGIN)).isInstanceOf(PreviewTickets.Accepted.class);
        clock.advance(Duration.ofSeconds(2)); // 31 s after issue
        assertThat(tickets.redeem(expiring.ticket(), ORIGIN))
                .isEqualTo(new PreviewTickets.Refused("unknown, already used or expired ticket", null));
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aTicketOnAnotherPortsOrAnotherWorkspacesOriginIsRefusedAndSpent(String db) throws Exception {
        PreviewTickets tickets = tickets(TestDatabases.create(db));
        PreviewTickets.Issued otherPort = tickets.issue("w1", "c1", 3000, "alice@example.com");
        assertThat(tickets.redeem(otherPort.ticket(), new PreviewOrigin("w1", 3001)))
                .isEqualTo(new PreviewTickets.Refused("ticket issued for another preview origin", "alice@example.com"));
        assertThat(tickets.redeem(otherPort.ticket(), ORIGIN)).isInstanceOf(PreviewTickets.Refused.class);

        PreviewTickets.Issued otherWorkspace = tickets.issue("w2", "c1", 3000, "bob@example.com");
        assertThat(tickets.redeem(otherWorkspace.ticket(), ORIGIN))
                .isEqualTo(new PreviewTickets.Refused("ticket issued for another preview origin", "bob@example.com"));
    }

    @ParameterizedTest
    @MethodSource("databases")
    void malformedTicketsAreRefused(String db) throws Exception {
        PreviewTickets tickets = tickets(TestDatabases.create(db));
        for (String malformed : new String[] {null, "", "short", "x".repeat(44), "' OR 1=1 --"}) {
            assertThat(tickets.redeem(malformed, ORIGIN)).isEqualTo(new PreviewTickets.Refused("malformed ticket", null));
        }
    }

    // ---- sessions ----------------------------------------------------------------------------------

    private static final PreviewTickets.Holder HOLDER = new PreviewTickets.Holder("w1", "c1", 3000, "alice@example.com");

    @ParameterizedTest
    @MethodSource("databases")
    void aSessionIsFoundByItsCookieAndOnlyItsHashIsStored(String db) throws Exception {
        JdbcTemplate jdbc = TestDatabases.create(db);
        PreviewSessions sessions = sessions(jdbc);
        PreviewSessions.Opened opened = sessions.open(HOLDER, "192.0.2.7");

        assertThat(opened.toString()).doesNotContain(opened.cookie());
        assertThat(jdbc.queryForList("SELECT * FROM preview_session")).singleElement()
                .satisfies(row -> assertThat(row.values()).noneMatch(v -> String.valueOf(v).contains(opened.cookie())));
        // A fresh store (another replica) finds it in the database.
        PreviewSessions.Session found = sessions(jdbc).find(opened.cookie()).orElseThrow();
        assertThat(found.origin()).isEqualTo(ORIGIN);
        assertThat(found.user()).isEqualTo("alice@example.com");
        assertThat(found.sessionId()).isEqualTo(opened.session().sessionId());
        assertThat(sessions.find("x".repeat(43))).isEmpty();
        assertThat(sessions.find("not a cookie")).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void idleAndExpiredSessionsAreClosedWithTheirCounts(String db) throws Exception {
        JdbcTemplate jdbc = TestDatabases.create(db);
        PreviewSessions sessions = sessions(jdbc);
        PreviewSessions.Opened busy = sessions.open(HOLDER, "192.0.2.7");
        PreviewSessions.Opened idle = sessions.open(HOLDER, "192.0.2.8");
        sessions.count(busy.session(), 3, 100, 2000);
        sessions.count(idle.session(), 1, 0, 10);
        assertThat(sessions.sweep()).isEmpty();

        clock.advance(Duration.ofMinutes(20));
        sessions.count(busy.session(), 2, 1, 5);
        clock.advance(Duration.ofMinutes(11)); // idle: 31 min since its last use; busy: 11 min
        List<PreviewSessions.Closed> closed = sessions.sweep();
        assertThat(closed).singleElement().satisfies(c -> {
            assertThat(c.session().sessionId()).isEqualTo(idle.session().sessionId());
            assertThat(c.requests()).isEqualTo(1);
            assertThat(c.bytesOut()).isEqualTo(10);
            assertThat(c.reason()).contains("idle");
        });
        assertThat(sessions.find(idle.cookie())).isEmpty();
        assertThat(sessions.find(busy.cookie())).isPresent();

        clock.advance(Duration.ofHours(8));
        List<PreviewSessions.Closed> expired = sessions.sweep();
        assertThat(expired).singleElement().satisfies(c -> {
            assertThat(c.requests()).isEqualTo(5);
            assertThat(c.bytesIn()).isEqualTo(101);
            assertThat(c.bytesOut()).isEqualTo(2005);
            assertThat(c.closedAt()).isEqualTo(busy.session().openedAt().plus(Duration.ofHours(8)));
        });
        assertThat(sessions.find(busy.cookie())).isEmpty();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM preview_session", Long.class)).isZero();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aStoppedWorkspacesSessionsCloseAtOnceWithTheirCountsAndOthersStay(String db) throws Exception {
        JdbcTemplate jdbc = TestDatabases.create(db);
        PreviewSessions sessions = sessions(jdbc);
        PreviewSessions.Opened mine = sessions.open(HOLDER, "192.0.2.7");
        PreviewSessions.Opened otherPort = sessions.open(new PreviewTickets.Holder("w1", "c1", 3001, "alice@example.com"), "192.0.2.7");
        PreviewSessions.Opened elsewhere = sessions.open(new PreviewTickets.Holder("w2", "c1", 3000, "bob@example.com"), "192.0.2.9");
        sessions.count(mine.session(), 2, 30, 400);
        clock.advance(Duration.ofMinutes(5));

        List<PreviewSessions.Closed> closed = sessions.closeWorkspace("w1", "workspace stopped");

        assertThat(closed).extracting(c -> c.session().sessionId())
                .containsExactlyInAnyOrder(mine.session().sessionId(), otherPort.session().sessionId());
        assertThat(closed).allSatisfy(c -> {
            assertThat(c.reason()).isEqualTo("workspace stopped");
            assertThat(c.closedAt()).isEqualTo(clock.instant());
        });
        assertThat(closed).filteredOn(c -> c.session().port() == 3000).singleElement()
                .satisfies(c -> assertThat(c.bytesOut()).isEqualTo(400));
        assertThat(sessions.find(mine.cookie())).isEmpty();
        assertThat(sessions.find(otherPort.cookie())).isEmpty();
        assertThat(sessions.find(elsewhere.cookie())).isPresent();
        assertThat(sessions.closeWorkspace("w1", "workspace deleted")).isEmpty();
    }

    /** The non-blocking lookup answers only what the cache may: anything else goes to {@code find}. */
    @ParameterizedTest
    @MethodSource("databases")
    void theCacheOnlyLookupNeverAnswersForASessionItCannotVouchFor(String db) throws Exception {
        JdbcTemplate jdbc = TestDatabases.create(db);
        PreviewSessions sessions = sessions(jdbc);
        PreviewSessions.Opened opened = sessions.open(HOLDER, "192.0.2.7");
        PreviewSessions.Opened other = sessions.open(new PreviewTickets.Holder("w2", "c1", 3000, "bob@example.com"), "192.0.2.9");

        assertThat(sessions.cached(opened.cookie())).isEqualTo(opened.session());
        assertThat(sessions.cached("x".repeat(43))).isNull();
        assertThat(sessions.cached("not a cookie")).isNull();
        // Another replica's session is not in this one's cache until the database vouched for it.
        assertThat(sessions(jdbc).cached(opened.cookie())).isNull();
        // Closed here: gone from the cache at once.
        sessions.closeWorkspace("w1", "workspace stopped");
        assertThat(sessions.cached(opened.cookie())).isNull();
        // Past the cache's TTL the database must be asked again.
        assertThat(sessions.cached(other.cookie())).isEqualTo(other.session());
        clock.advance(PreviewSessions.CACHE_TTL);
        assertThat(sessions.cached(other.cookie())).isNull();
        assertThat(sessions.find(other.cookie())).isPresent();
        assertThat(sessions.cached(other.cookie())).isEqualTo(other.session());
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aSessionClosedByAnotherReplicaStopsWorkingWithinTheCacheTtl(String db) throws Exception {
        JdbcTemplate jdbc = TestDatabases.create(db);
        PreviewSessions here = sessions(jdbc);
        PreviewSessions.Opened opened = here.open(HOLDER, "192.0.2.7");
        jdbc.update("DELETE FROM preview_session");
        assertThat(here.find(opened.cookie())).isPresent(); // cached
        clock.advance(PreviewSessions.CACHE_TTL);
        assertThat(here.find(opened.cookie())).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void theSweeperRecordsEachClosedSessionWithWhoWhereAndHowMuch(String db) throws Exception {
        JdbcTemplate jdbc = TestDatabases.create(db);
        PreviewSessions sessions = sessions(jdbc);
        PreviewSessions.Opened opened = sessions.open(HOLDER, "192.0.2.7");
        sessions.count(opened.session(), 4, 10, 20);
        List<org.axonframework.eventhandling.EventMessage<?>> published = new java.util.concurrent.CopyOnWriteArrayList<>();
        org.axonframework.eventhandling.gateway.EventGateway events = new org.axonframework.eventhandling.gateway.EventGateway() {
            @Override
            public void publish(List<?> messages) {
                messages.forEach(m -> published.add((org.axonframework.eventhandling.EventMessage<?>) m));
            }

            @Override
            public org.axonframework.common.Registration registerDispatchInterceptor(
                    org.axonframework.messaging.MessageDispatchInterceptor<? super org.axonframework.eventhandling.EventMessage<?>> i) {
                return () -> true;
            }
        };
        PreviewSweeper sweeper = new PreviewSweeper(sessions, new dev.rdeportal.gateway.terminal.TerminalAudit(events),
                Duration.ofSeconds(15));

        sweeper.sweep();
        assertThat(published).isEmpty();
        clock.advance(Duration.ofMinutes(31));
        sweeper.sweep();

        assertThat(published).singleElement().satisfies(message -> {
            assertThat(message.getPayload()).isEqualTo(new dev.rdeportal.domain.connection.PreviewSessionClosedEvent(
                    opened.session().sessionId(), "w1", 3000, "alice@example.com", "192.0.2.7",
                    opened.session().openedAt(), opened.session().openedAt().plus(Duration.ofMinutes(30)), 4, 10, 20,
                    "idle for 30 min"));
            assertThat(message.getMetaData()).containsEntry("actor", "alice@example.com").containsEntry("clientIp", "192.0.2.7");
        });
    }

    // ---- origins -----------------------------------------------------------------------------------

    @org.junit.jupiter.api.Test
    void originsParseOnlyTheirOwnShape() {
        String ws = "0b6f3c1e-8d2a-4c7e-9f10-2b3c4d5e6f70";
        assertThat(PreviewOrigin.parse("p3000--" + ws + ".preview.localhost", "preview.localhost"))
                .contains(new PreviewOrigin(ws, 3000));
        assertThat(PreviewOrigin.parse("P3000--" + ws.toUpperCase() + ".Preview.Localhost", "preview.localhost"))
                .contains(new PreviewOrigin(ws, 3000));
        assertThat(new PreviewOrigin(ws, 3000).url("http", "preview.localhost", 8080))
                .isEqualTo("http://p3000--" + ws + ".preview.localhost:8080");
        assertThat(new PreviewOrigin(ws, 443).url("https", "preview.example.com", 443))
                .isEqualTo("https://p443--" + ws + ".preview.example.com");
        for (String host : new String[] {"localhost", "preview.localhost", "p3000--w.preview.localhost.evil.com",
                "x.p3000--w.preview.localhost", "p0--w.preview.localhost", "p65536--w.preview.localhost",
                "p03000--w.preview.localhost", "p3000-w.preview.localhost", "p3000--.preview.localhost",
                "p3000--w_1.preview.localhost"}) {
            assertThat(PreviewOrigin.parse(host, "preview.localhost")).as(host).isEmpty();
        }
    }

    @org.junit.jupiter.api.Test
    void theNextPathStaysOnTheOrigin() {
        assertThat(PreviewFilter.safeNext("/app?x=1#top")).isEqualTo("/app?x=1#top");
        for (String bad : new String[] {null, "", "https://evil.example", "//evil.example/x", "/\\evil.example",
                "javascript:alert(1)", "/a b", "/a\nb"}) {
            assertThat(PreviewFilter.safeNext(bad)).as(String.valueOf(bad)).isEqualTo("/");
        }
    }

    @org.junit.jupiter.api.Test
    void theAppNeverSeesTheSessionCookieOrTheClientsForwardingHeaders() {
        org.springframework.http.HttpHeaders in = new org.springframework.http.HttpHeaders();
        in.add("Cookie", "a=1; rde_preview=secret; b=2");
        in.add("X-Forwarded-For", "203.0.113.9");
        in.add("Forwarded", "for=203.0.113.9");
        in.add("Connection", "keep-alive, X-Custom-Hop");
        in.add("X-Custom-Hop", "drop me");
        in.add("Accept", "text/html");
        Map<String, String> out = new java.util.LinkedHashMap<>();
        PreviewHeaders.toApp(in, false, "rde_preview", "p3000--w1.preview.localhost:8080", "http", "192.0.2.1")
                .forEach(h -> out.merge(h.getName().toLowerCase(), h.getValue(), (x, y) -> x + "|" + y));
        assertThat(out).containsEntry("cookie", "a=1; b=2")
                .containsEntry("x-forwarded-for", "192.0.2.1")
                .containsEntry("host", "p3000--w1.preview.localhost:8080")
                .containsEntry("x-forwarded-port", "8080")
                .containsEntry("accept", "text/html")
                .doesNotContainKeys("forwarded", "connection", "x-custom-hop");
    }
}
