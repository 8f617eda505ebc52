package dev.rdeportal.portal.preview;

import dev.rdeportal.portal.support.PreviewClient;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rdeportal.portal.support.Api;
import dev.rdeportal.portal.support.PortalHarness;
import dev.rdeportal.portal.support.TestDatabase;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpMethod;
import java.net.URI;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.jdbc.core.JdbcTemplate;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.WebsocketClientSpec;

/**
 * Previews end to end: the portal on PostgreSQL, its real agent process over the TLS tunnel, and a
 * real app (portal/src/test/resources/preview/app.py) in the workspace, reached on preview origins
 * as a browser reaches them. The last tests stop a workspace and then the agent.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PreviewPostgresTest {

    static final Duration TIMEOUT = Duration.ofSeconds(30);
    static final ObjectMapper JSON = new ObjectMapper();
    static final String APP = Path.of("src", "test", "resources", "preview", "app.py").toAbsolutePath().toString();

    @TempDir
    static Path dataDir;
    static PortalHarness portal;
    static Api api;
    static PreviewClient browser;
    static String alice;
    static String bob;
    static String aliceWorkspace;
    static String bobWorkspace;
    static int portalPort;

    @BeforeAll
    static void start() {
        portal = PortalHarness.start(TestDatabase.create(), dataDir, true);
        api = portal.api();
        portalPort = URI.create(portal.baseUrl()).getPort();
        browser = new PreviewClient(portalPort);
        alice = portal.login("alice@example.com", "alice");
        bob = portal.login("bob@example.com", "bob");
        String admin = portal.login("admin@example.com", "admin");
        Api.Response created = api.post("/api/v1/blueprints", """
                {"name":"preview-app","image":"debian:12","resources":{"cpu":"1","memory":"1Gi","storage":"1Gi"},
                 "ports":[8000,8001],"startCommand":"exec python3 %s"}""".formatted(APP), admin);
        assertThat(created.status()).as("%s", created.body()).isEqualTo(201);
        String blueprint = created.body().get("id").asText();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (api.get("/api/v1/blueprints/" + blueprint, alice).status() != 200 && System.nanoTime() < deadline) {
            Api.sleep(100);
        }
        aliceWorkspace = launch(alice, blueprint, "previews");
        bobWorkspace = launch(bob, blueprint, "bobs-previews");
        api.awaitWorkspace(aliceWorkspace, alice, "RUNNING"::equals, Duration.ofSeconds(120));
        api.awaitWorkspace(bobWorkspace, bob, "RUNNING"::equals, Duration.ofSeconds(120));
        awaitApp(aliceWorkspace, alice);
        awaitApp(bobWorkspace, bob);
    }

    @AfterAll
    static void stop() {
        if (portal != null) {
            portal.close();
        }
    }

    static String launch(String token, String blueprint, String name) {
        Api.Response r = api.post("/api/v1/workspaces", "{\"blueprintId\":\"" + blueprint + "\",\"name\":\"" + name + "\"}", token);
        assertThat(r.status()).as("launch answer %s", r.body()).isEqualTo(202);
        return r.body().get("id").asText();
    }

    /** The app starts with the workspace; it answers once python has bound its port. */
    static void awaitApp(String workspace, String token) {
        Session session = session(workspace, 8000, token);
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        PreviewClient.Response r;
        do {
            r = session.get("/echo-headers", Map.of());
            if (r.status() == 200) {
                return;
            }
            Api.sleep(200);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("the app never answered: " + r.status() + " " + r.body());
    }

    static String host(String workspace, int port) {
        return "p" + port + "--" + workspace + ".preview.localhost:" + portalPort;
    }

    static String ticketUrl(String workspace, int port, String token, String path) {
        Api.Response r = api.post("/api/v1/workspaces/" + workspace + "/preview-tickets",
                "{\"port\":" + port + (path == null ? "" : ",\"path\":\"" + path + "\"") + "}", token);
        assertThat(r.status()).as("ticket answer %s", r.body()).isEqualTo(200);
        assertThat(r.raw().headers().firstValue("Cache-Control").orElse("")).contains("no-store");
        return r.body().get("url").asText();
    }

    /** A browser's cookie session on one preview origin. */
    record Session(String host, String cookie) {

        PreviewClient.Response get(String path, Map<String, String> headers) {
            Map<String, String> all = new java.util.HashMap<>(headers);
            all.merge("Cookie", "rde_preview=" + cookie, (mine, ours) -> mine + "; " + ours);
            return browser.get(host, path, all);
        }

        Map<String, String> cookieHeader() {
            return Map.of("Cookie", "rde_preview=" + cookie);
        }
    }

    static Session session(String workspace, int port, String token) {
        String[] target = PreviewClient.hostAndTarget(ticketUrl(workspace, port, token, null));
        PreviewClient.Response redeemed = browser.get(target[0], target[1], Map.of());
        assertThat(redeemed.status()).as("redeem answer %s", redeemed.body()).isEqualTo(303);
        String setCookie = redeemed.headers().get("Set-Cookie");
        String value = setCookie.substring("rde_preview=".length(), setCookie.indexOf(';'));
        return new Session(target[0], value);
    }

    static List<String> events(String type) {
        return portal.context().getBean(JdbcTemplate.class).queryForList("SELECT convert_from(payload, 'UTF8') "
                + "FROM domain_event_entry WHERE payload_type LIKE ?", String.class, "%" + type);
    }

    static List<String> awaitEvents(String type, int atLeast) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        List<String> found = events(type);
        while (found.size() < atLeast && System.nanoTime() < deadline) {
            Api.sleep(100);
            found = events(type);
        }
        assertThat(found).as("%s events", type).hasSizeGreaterThanOrEqualTo(atLeast);
        return found;
    }

    // ---- tickets and cookies -----------------------------------------------------------------------

    @Test
    @Order(1)
    void aTicketBecomesAHostOnlyCookieAndLeavesTheAddressBar() {
        String url = ticketUrl(aliceWorkspace, 8000, alice, "/echo-headers?from=ticket");
        assertThat(url).startsWith("http://" + host(aliceWorkspace, 8000) + "/__rde/preview/redeem?ticket=");
        String[] target = PreviewClient.hostAndTarget(url);

        PreviewClient.Response redeemed = browser.get(target[0], target[1], Map.of());

        assertThat(redeemed.status()).isEqualTo(303);
        assertThat(redeemed.headers().get("Location")).isEqualTo("/echo-headers?from=ticket");
        assertThat(redeemed.headers().get("Cache-Control")).contains("no-store");
        String setCookie = redeemed.headers().get("Set-Cookie");
        assertThat(setCookie).startsWith("rde_preview=").containsIgnoringCase("HttpOnly")
                .contains("SameSite=Lax", "Path=/", "Max-Age=")
                .doesNotContainIgnoringCase("Domain=").doesNotContain("Secure");
        awaitEvents("PreviewSessionOpenedEvent", 1);
        assertThat(events("PreviewSessionOpenedEvent")).noneMatch(e -> e.contains(setCookie.substring(12, 40)));

        // The Security Center lists it among the active connections; only admins read that list.
        String admin = portal.login("admin@example.com", "admin");
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        JsonNode active = api.get("/api/v1/security/sessions?state=active", admin).body();
        while (active.get("items").size() == 0 && System.nanoTime() < deadline) {
            Api.sleep(100);
            active = api.get("/api/v1/security/sessions?state=active", admin).body();
        }
        assertThat(active.get("items")).anySatisfy(c -> {
            assertThat(c.get("type").asText()).isEqualTo("preview");
            assertThat(c.get("user").asText()).isEqualTo("alice@example.com");
            assertThat(c.get("clientIp").asText()).isEqualTo("127.0.0.1");
            assertThat(c.get("workspaceId").asText()).isEqualTo(aliceWorkspace);
            assertThat(c.get("detail").asText()).isEqualTo("port 8000");
            assertThat(c.get("closedAt").isNull()).isTrue();
        });
        assertThat(api.get("/api/v1/security/sessions?state=active", bob).status()).isEqualTo(403);
        assertThat(api.get("/api/v1/security/sessions?state=whatever", admin).code()).isEqualTo("validation-failed");
    }

    @Test
    @Order(2)
    void theAppSeesThePreviewHostAndWhatThePortalSaysOfTheClientNothingElse() throws Exception {
        Session session = session(aliceWorkspace, 8000, alice);
        PreviewClient.Response r = session.get("/echo-headers?q=1", Map.of(
                "X-Forwarded-For", "203.0.113.66", "X-Real-IP", "203.0.113.66", "Forwarded", "for=203.0.113.66",
                "Cookie", "theme=dark"));

        assertThat(r.status()).isEqualTo(200);
        JsonNode seen = JSON.readTree(r.body());
        Map<String, String> headers = new java.util.HashMap<>();
        seen.get("headers").forEach(h -> headers.merge(h.get(0).asText().toLowerCase(), h.get(1).asText(), (a, b) -> a + "|" + b));
        assertThat(seen.get("path").asText()).isEqualTo("/echo-headers?q=1");
        assertThat(headers.get("host")).isEqualTo(host(aliceWorkspace, 8000));
        assertThat(headers.get("x-forwarded-for")).isEqualTo("127.0.0.1");
        assertThat(headers.get("x-forwarded-host")).isEqualTo(host(aliceWorkspace, 8000));
        assertThat(headers).doesNotContainKeys("x-real-ip", "forwarded");
        assertThat(r.body()).doesNotContain("203.0.113.66").doesNotContain(session.cookie());
        assertThat(headers.get("cookie")).isEqualTo("theme=dark");
        // The app asked for an hour of caching and a cookie for every preview; it gets neither.
        assertThat(r.headers().get("Cache-Control")).isEqualTo("no-store");
        assertThat(r.headers().get("Set-Cookie")).isEqualTo("app=1; Path=/");
    }

    @Test
    @Order(3)
    void refusedTicketsAreRecordedAndGetNoCookie() {
        int before = events("PreviewAccessRefusedEvent").size();
        // Reuse.
        String[] used = PreviewClient.hostAndTarget(ticketUrl(aliceWorkspace, 8000, alice, null));
        assertThat(browser.get(used[0], used[1], Map.of()).status()).isEqualTo(303);
        assertRefused(browser.get(used[0], used[1], Map.of()));
        // Another port's origin: a ticket for 8001 presented on 8000's.
        String[] otherPort = PreviewClient.hostAndTarget(ticketUrl(aliceWorkspace, 8001, alice, null));
        assertRefused(browser.get(host(aliceWorkspace, 8000), otherPort[1], Map.of()));
        // Another user: bob gets no ticket for alice's workspace, and his own does not open hers.
        Api.Response foreign = api.post("/api/v1/workspaces/" + aliceWorkspace + "/preview-tickets", "{\"port\":8000}", bob);
        assertThat(foreign.status()).isEqualTo(404);
        assertThat(foreign.code()).isEqualTo("not-found");
        String[] bobs = PreviewClient.hostAndTarget(ticketUrl(bobWorkspace, 8000, bob, null));
        assertRefused(browser.get(host(aliceWorkspace, 8000), bobs[1], Map.of()));
        // Garbage.
        assertRefused(browser.get(host(aliceWorkspace, 8000), "/__rde/preview/redeem?ticket=%27%20OR%201=1", Map.of()));

        List<String> refused = awaitEvents("PreviewAccessRefusedEvent", before + 4);
        assertThat(refused).anyMatch(e -> e.contains("ticket issued for another preview origin") && e.contains("bob@example.com"))
                .anyMatch(e -> e.contains("already used"))
                .anyMatch(e -> e.contains("malformed"));
        assertThat(refused).noneMatch(e -> e.contains(used[1].substring(used[1].indexOf("ticket=") + 7, used[1].indexOf('&'))));
    }

    static void assertRefused(PreviewClient.Response r) {
        assertThat(r.status()).as("%s", r.body()).isEqualTo(403);
        assertThat(r.headers().get("Set-Cookie")).isNull();
        assertThat(r.body()).contains("\"code\":\"ticket-invalid\"");
    }

    @Test
    @Order(4)
    void anExpiredTicketIsRefused() {
        // Expiry against a moved clock is PreviewStoresTest's; here the portal's own setting, end to end.
        String url = ticketUrl(aliceWorkspace, 8000, alice, null);
        JdbcTemplate jdbc = portal.context().getBean(JdbcTemplate.class);
        jdbc.update("UPDATE preview_ticket SET expires_at = expires_at - INTERVAL '31 seconds'");
        String[] target = PreviewClient.hostAndTarget(url);
        assertRefused(browser.get(target[0], target[1], Map.of()));
    }

    @Test
    @Order(5)
    void aCookieReplayedOnAnotherPreviewOriginIsRefused() {
        Session alices = session(aliceWorkspace, 8000, alice);
        int before = events("PreviewAccessRefusedEvent").size();
        PreviewClient.Response otherPort = browser.get(host(aliceWorkspace, 8001), "/echo-headers", alices.cookieHeader());
        PreviewClient.Response otherUser = browser.get(host(bobWorkspace, 8000), "/echo-headers", alices.cookieHeader());
        assertThat(otherPort.status()).isEqualTo(404);
        assertThat(otherUser.status()).isEqualTo(404);
        assertThat(otherUser.body()).contains("\"code\":\"not-found\"").doesNotContain("\"headers\"");
        assertThat(awaitEvents("PreviewAccessRefusedEvent", before + 2))
                .anyMatch(e -> e.contains("cookie presented on another preview origin"));
    }

    @Test
    @Order(6)
    void withoutACookieTheOwnerIsSentBackThroughThePortal() {
        PreviewClient.Response page = browser.get(host(aliceWorkspace, 8000), "/", Map.of("Accept", "text/html"));
        assertThat(page.status()).isEqualTo(401);
        assertThat(page.headers().get("Content-Type")).startsWith("text/html");
        assertThat(page.body()).contains("http://localhost:" + portalPort + "/workspaces/" + aliceWorkspace + "?preview=8000");
        PreviewClient.Response api = browser.get(host(aliceWorkspace, 8000), "/data.json", Map.of("Accept", "application/json"));
        assertThat(api.status()).isEqualTo(401);
        assertThat(api.body()).contains("\"code\":\"preview-session-required\"");
        assertThat(browser.get(host(aliceWorkspace, 8000), "/", Map.of("Cookie", "rde_preview=" + "A".repeat(43))).status())
                .isEqualTo(401);
        // Not a preview origin at all.
        assertThat(browser.get("p3000--no_such.preview.localhost:" + portalPort, "/", Map.of()).status()).isEqualTo(404);
    }

    // ---- the relay ---------------------------------------------------------------------------------

    @Test
    @Order(10)
    void webSocketsEchoThroughThePreview() {
        Session session = session(aliceWorkspace, 8000, alice);
        List<String> received = new CopyOnWriteArrayList<>();
        String selected = browser.raw(session.host(), session.cookieHeader())
                .websocket(WebsocketClientSpec.builder().protocols("chat, superchat").build())
                .uri("/ws")
                .handle((in, out) -> out.sendString(Mono.just("hello-preview"))
                        .then(out.send(Mono.just(Unpooled.wrappedBuffer(new byte[] {1, 2, 3, (byte) 250}))))
                        .then()
                        .and(in.receiveFrames().take(2).doOnNext(frame -> {
                            byte[] bytes = new byte[frame.content().readableBytes()];
                            frame.content().readBytes(bytes);
                            received.add(frame instanceof io.netty.handler.codec.http.websocketx.TextWebSocketFrame
                                    ? "text:" + new String(bytes, java.nio.charset.StandardCharsets.UTF_8)
                                    : "binary:" + HexFormat.of().formatHex(bytes));
                        }).then())
                        .then(Mono.fromCallable(() -> String.valueOf(in.selectedSubprotocol()))))
                .single()
                .block(TIMEOUT);
        assertThat(received).containsExactly("text:hello-preview", "binary:010203fa");
        assertThat(selected).isEqualTo("chat");
    }

    @Test
    @Order(11)
    void serverSentEventsArriveAsTheAppSendsThem() {
        Session session = session(aliceWorkspace, 8000, alice);
        List<long[]> chunks = new CopyOnWriteArrayList<>();
        StringBuilder text = new StringBuilder();
        int status = browser.stream(session.host(), "/sse", session.cookieHeader(), chunk -> {
            chunks.add(new long[] {System.nanoTime()});
            text.append(chunk.toString(java.nio.charset.StandardCharsets.UTF_8));
        });
        assertThat(status).isEqualTo(200);
        assertThat(text.toString()).contains("data: event-0", "data: event-1", "data: event-2");
        // 300 ms apart at the app; a relay that buffered the stream would deliver them together.
        assertThat(chunks.size()).isGreaterThanOrEqualTo(3);
        assertThat(chunks.get(chunks.size() - 1)[0] - chunks.get(0)[0]).isGreaterThan(Duration.ofMillis(400).toNanos());
    }

    @Test
    @Order(12)
    void corsPreflightsReachTheApp() {
        Session session = session(aliceWorkspace, 8000, alice);
        PreviewClient.Response r = browser.send(HttpMethod.OPTIONS, session.host(), "/api/thing",
                Map.of("Cookie", "rde_preview=" + session.cookie(), "Origin", "http://localhost:5173",
                        "Access-Control-Request-Method", "PUT"), PreviewClient.none());
        assertThat(r.status()).isEqualTo(204);
        assertThat(r.headers().get("X-Saw-Preflight")).isEqualTo("yes");
        assertThat(r.headers().get("Access-Control-Allow-Methods")).isEqualTo("PUT");
    }

    @Test
    @Order(13)
    void twoHundredMegabytesGoUpAndComeDownIntactWithTheHeapFlat() throws Exception {
        Session session = session(aliceWorkspace, 8000, alice);
        long size = 200L * 1024 * 1024;
        HeapWatch heap = HeapWatch.start();
        try {
            // Up: a streamed body the test never holds whole either.
            MessageDigest sent = MessageDigest.getInstance("SHA-256");
            byte[] block = new byte[64 * 1024];
            new java.util.Random(42).nextBytes(block);
            Flux<ByteBuf> body = Flux.range(0, (int) (size / block.length)).map((Integer i) -> {
                block[0] = i.byteValue();
                block[1] = (byte) (i.intValue() >> 8);
                sent.update(block);
                return Unpooled.copiedBuffer(block);
            });
            PreviewClient.Response up = browser.send(HttpMethod.POST, session.host(), "/upload",
                    Map.of("Cookie", "rde_preview=" + session.cookie(), "Content-Length", String.valueOf(size),
                            "Content-Type", "application/octet-stream"), body);
            assertThat(up.status()).as(up.body()).isEqualTo(200);
            JsonNode answer = JSON.readTree(up.body());
            assertThat(answer.get("bytes").asLong()).isEqualTo(size);
            assertThat(answer.get("sha256").asText()).isEqualTo(HexFormat.of().formatHex(sent.digest()));

            // Down: the app's pattern, checked as it streams.
            MessageDigest received = MessageDigest.getInstance("SHA-256");
            AtomicLong count = new AtomicLong();
            int status = browser.stream(session.host(), "/download?bytes=" + size, session.cookieHeader(), chunk -> {
                byte[] bytes = new byte[chunk.readableBytes()];
                chunk.readBytes(bytes);
                received.update(bytes);
                count.addAndGet(bytes.length);
            });
            assertThat(status).isEqualTo(200);
            assertThat(count.get()).isEqualTo(size);
            assertThat(HexFormat.of().formatHex(received.digest())).isEqualTo(patternSha256(size));
        } finally {
            heap.stop();
        }
        // Both bodies are 200 MB; what stays live meanwhile is a few windows of 256 KiB.
        assertThat(heap.growthBytes()).as("live heap growth during the transfers").isLessThan(64L * 1024 * 1024);
    }

    static String patternSha256(long size) throws Exception {
        byte[] pattern = new byte[251 * 261];
        for (int i = 0; i < pattern.length; i++) {
            pattern[i] = (byte) (i % 251);
        }
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        for (long done = 0; done < size; done += pattern.length) {
            digest.update(pattern, 0, (int) Math.min(pattern.length, size - done));
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** The live heap (after a collection) sampled every half second, against where it started. */
    static final class HeapWatch {
        private final long baseline;
        private final AtomicLong max = new AtomicLong();
        private final Thread sampler;
        private volatile boolean running = true;

        private HeapWatch() {
            baseline = live();
            sampler = new Thread(() -> {
                while (running) {
                    max.accumulateAndGet(live(), Math::max);
                    Api.sleep(500);
                }
            }, "heap-watch");
            sampler.setDaemon(true);
            sampler.start();
        }

        static HeapWatch start() {
            return new HeapWatch();
        }

        static long live() {
            System.gc();
            Runtime rt = Runtime.getRuntime();
            return rt.totalMemory() - rt.freeMemory();
        }

        void stop() throws InterruptedException {
            running = false;
            sampler.join(5000);
        }

        long growthBytes() {
            return max.get() - baseline;
        }
    }

    // ---- failures ----------------------------------------------------------------------------------

    @Test
    @Order(19)
    void theFirewallAppliesToPreviews() {
        Session session = session(aliceWorkspace, 8000, alice);
        String admin = portal.login("admin@example.com", "admin");
        int before = events("FirewallBlockedEvent").size();
        assertThat(api.put("/api/v1/security/firewall",
                "{\"rules\":[{\"action\":\"deny\",\"cidr\":\"127.0.0.0/8\",\"note\":\"preview test\"}]}", admin).status())
                .isEqualTo(200);
        try {
            PreviewClient.Response blocked = awaitStatus(session, 403);
            assertThat(blocked.body()).contains("\"code\":\"firewall-blocked\"");
            List<String> recorded = awaitEvents("FirewallBlockedEvent", before + 1);
            assertThat(recorded).anyMatch(e -> e.contains("preview:" + aliceWorkspace + ":8000")
                    && e.contains("alice@example.com") && e.contains("127.0.0.1"));
            // Not even a ticket is spent from a blocked address.
            String[] target = PreviewClient.hostAndTarget(ticketUrl(aliceWorkspace, 8000, alice, null));
            assertThat(browser.get(target[0], target[1], Map.of()).status()).isEqualTo(403);
        } finally {
            assertThat(api.put("/api/v1/security/firewall", "{\"rules\":[]}", admin).status()).isEqualTo(200);
        }
        awaitStatus(session, 200);
    }

    static PreviewClient.Response awaitStatus(Session session, int status) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        PreviewClient.Response r = session.get("/echo-headers", Map.of());
        while (r.status() != status && System.nanoTime() < deadline) {
            Api.sleep(100);
            r = session.get("/echo-headers", Map.of());
        }
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        return r;
    }

    @Test
    @Order(20)
    void nothingListeningOnThePortIs502() {
        Session session = session(aliceWorkspace, 8001, alice);
        PreviewClient.Response r = session.get("/", Map.of("Accept", "application/json"));
        assertThat(r.status()).isEqualTo(502);
        assertThat(r.body()).contains("\"code\":\"app-unreachable\"").contains("nothing is listening on port 8001");
        PreviewClient.Response page = session.get("/", Map.of("Accept", "text/html"));
        assertThat(page.status()).isEqualTo(502);
        assertThat(page.body()).contains("The app is not answering");
    }

    @Test
    @Order(21)
    void aStoppedWorkspaceEndsItsPreviewSessionsAndGetsNoTicket() {
        Session session = session(bobWorkspace, 8000, bob);
        assertThat(api.post("/api/v1/workspaces/" + bobWorkspace + "/stop", null, bob).status()).isEqualTo(202);
        api.awaitWorkspace(bobWorkspace, bob, "STOPPED"::equals, Duration.ofSeconds(60));
        // The session ended with the workspace, recorded at once rather than at the idle sweep ...
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (events("PreviewSessionClosedEvent").stream()
                .noneMatch(e -> e.contains(bobWorkspace) && e.contains("workspace stopping")) && System.nanoTime() < deadline) {
            Api.sleep(100);
        }
        assertThat(events("PreviewSessionClosedEvent"))
                .anyMatch(e -> e.contains(bobWorkspace) && e.contains("workspace stopping"));
        // ... so its cookie is no session any more, and no new ticket is issued while stopped.
        PreviewClient.Response r = session.get("/echo-headers", Map.of("Accept", "application/json"));
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.body()).contains("\"code\":\"preview-session-required\"");
        Api.Response ticket = api.post("/api/v1/workspaces/" + bobWorkspace + "/preview-tickets", "{\"port\":8000}", bob);
        assertThat(ticket.status()).isEqualTo(409);
        assertThat(ticket.body().get("detail").asText()).contains("STOPPED");
    }

    @Test
    @Order(22)
    void aDisconnectedAgentIs503() throws Exception {
        Session session = session(aliceWorkspace, 8000, alice);
        assertThat(session.get("/echo-headers", Map.of()).status()).isEqualTo(200);
        Map<String, DisposableBean> beans = portal.context().getBeansOfType(DisposableBean.class);
        DisposableBean agent = beans.values().stream()
                .filter(b -> b.getClass().getSimpleName().equals("LocalAgentProcess")).findFirst().orElseThrow();
        agent.destroy();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        PreviewClient.Response r = session.get("/echo-headers", Map.of());
        while (r.status() != 503 && System.nanoTime() < deadline) {
            Api.sleep(200);
            r = session.get("/echo-headers", Map.of());
        }
        assertThat(r.status()).as(r.body()).isEqualTo(503);
        assertThat(r.body()).contains("\"code\":\"unavailable\"");
    }
}
