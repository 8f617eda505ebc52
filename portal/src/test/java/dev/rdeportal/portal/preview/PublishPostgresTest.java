package dev.rdeportal.portal.preview;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rdeportal.portal.support.Api;
import dev.rdeportal.portal.support.PortalHarness;
import dev.rdeportal.portal.support.PreviewClient;
import dev.rdeportal.portal.support.TestDatabase;
import dev.rdeportal.portal.support.WorkspaceProcesses;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Publishing to production end to end: the portal on PostgreSQL, its real agent process, real apps.
 * A request is reviewed by an admin (or approved at once for a trusted member), the agent runs a
 * snapshot of the workspace as its own app, and members reach it on its published host through the
 * ticket → cookie exchange; a non-member, an anonymous client and a member who left are refused.
 *
 * <p>Users: admin (admin), alice and bob (members), carol (signs in, but is not a member). The
 * blueprint's ACL names alice and bob.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PublishPostgresTest {

    static final Duration TIMEOUT = Duration.ofSeconds(60);
    static final String APP = Path.of("src", "test", "resources", "preview", "app.py").toAbsolutePath().toString();

    @TempDir
    static Path dataDir;
    static PortalHarness portal;
    static Api api;
    static PreviewClient browser;
    static int portalPort;
    static String admin;
    static String alice;
    static String bob;
    static String carol;
    static String blueprint;
    static String aliceWorkspace;
    static String bobWorkspace;
    static String adminWorkspace;
    static String published;
    static String bobsApp;
    static String adminsPending;
    static PublishPostgresTestSession bobsCookie;

    record PublishPostgresTestSession(String host, String cookie) {

        PreviewClient.Response get(String path) {
            return browser.get(host, path, Map.of("Cookie", "rde_preview=" + cookie));
        }
    }

    @BeforeAll
    static void start() {
        portal = PortalHarness.start(TestDatabase.create(), dataDir, true,
                "--rde.identity.users[0].email=admin@example.com", "--rde.identity.users[0].password=admin",
                "--rde.identity.users[1].email=alice@example.com", "--rde.identity.users[1].password=alice",
                "--rde.identity.users[2].email=bob@example.com", "--rde.identity.users[2].password=bob",
                "--rde.identity.users[3].email=carol@example.com", "--rde.identity.users[3].password=carol",
                "--rde.security.members=alice@example.com,bob@example.com",
                "--rde.security.auto-join-domains=");
        api = portal.api();
        portalPort = URI.create(portal.baseUrl()).getPort();
        browser = new PreviewClient(portalPort);
        admin = portal.login("admin@example.com", "admin");
        alice = portal.login("alice@example.com", "alice");
        bob = portal.login("bob@example.com", "bob");
        carol = portal.login("carol@example.com", "carol");
        Api.Response created = api.post("/api/v1/blueprints", blueprint("[\"alice@example.com\",\"bob@example.com\"]"), admin);
        assertThat(created.status()).as("%s", created.body()).isEqualTo(201);
        blueprint = created.body().get("id").asText();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (api.get("/api/v1/blueprints/" + blueprint, alice).status() != 200 && System.nanoTime() < deadline) {
            Api.sleep(100);
        }
        aliceWorkspace = launch(alice, "shop");
        bobWorkspace = launch(bob, "bobs-shop");
        adminWorkspace = launch(admin, "admins-shop");
        for (var ws : Map.of(aliceWorkspace, alice, bobWorkspace, bob, adminWorkspace, admin).entrySet()) {
            api.awaitWorkspace(ws.getKey(), ws.getValue(), "RUNNING"::equals, Duration.ofSeconds(120));
        }
    }

    @AfterAll
    static void stop() {
        if (portal != null) {
            portal.close();
        }
    }

    static String blueprint(String aclEmails) {
        return """
                {"name":"publish-app","image":"debian:12","resources":{"cpu":"1","memory":"1Gi","storage":"1Gi"},
                 "ports":[8000],"startCommand":"exec python3 %s",
                 "acl":{"mode":"restricted","emails":%s,"domains":[]}}""".formatted(APP, aclEmails);
    }

    static String launch(String token, String name) {
        Api.Response r = api.post("/api/v1/workspaces", "{\"blueprintId\":\"" + blueprint + "\",\"name\":\"" + name + "\"}", token);
        assertThat(r.status()).as("launch answer %s", r.body()).isEqualTo(202);
        return r.body().get("id").asText();
    }

    static Api.Response request(String workspace, String token, int port, String note) {
        return api.post("/api/v1/workspaces/" + workspace + "/publish-requests",
                "{\"port\":" + port + ",\"note\":\"" + note + "\"}", token);
    }

    static JsonNode requested(String workspace, String token, String note) {
        Api.Response r = request(workspace, token, 8000, note);
        assertThat(r.status()).as("publish request answer %s", r.body()).isEqualTo(202);
        return r.body();
    }

    static Api.Response review(String id, String verdict, String comment, String token) {
        return api.post("/api/v1/publish-requests/" + id + "/" + verdict, "{\"comment\":\"" + comment + "\"}", token);
    }

    /** The request as the admin list shows it, once {@code until} holds. */
    static JsonNode awaitListed(String id, Predicate<JsonNode> until) {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        JsonNode last = null;
        do {
            Api.Response r = api.get("/api/v1/publish-requests?limit=200", admin);
            assertThat(r.status()).as("%s", r.body()).isEqualTo(200);
            for (JsonNode item : r.body().get("items")) {
                if (item.get("id").asText().equals(id)) {
                    last = item;
                }
            }
            if (last != null && until.test(last)) {
                return last;
            }
            Api.sleep(200);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("publish request " + id + " never got there; last seen " + last);
    }

    static JsonNode awaitStatus(String id, String status) {
        return awaitListed(id, item -> item.get("status").asText().equals(status));
    }

    static List<String> events(String type) {
        return portal.context().getBean(JdbcTemplate.class).queryForList("SELECT convert_from(payload, 'UTF8') "
                + "FROM domain_event_entry WHERE payload_type LIKE ?", String.class, "%." + type);
    }

    /** A member's ticket for a published app, redeemed on its host like a browser does. */
    static PublishPostgresTestSession openPublished(String requestId, String token) {
        Api.Response ticket = api.post("/api/v1/published/" + requestId + "/tickets", "{\"path\":\"/echo-headers\"}", token);
        assertThat(ticket.status()).as("ticket answer %s", ticket.body()).isEqualTo(200);
        String[] target = PreviewClient.hostAndTarget(ticket.body().get("url").asText());
        PreviewClient.Response redeemed = browser.get(target[0], target[1], Map.of());
        assertThat(redeemed.status()).as("redeem answer %s", redeemed.body()).isEqualTo(303);
        assertThat(redeemed.headers().get("Location")).isEqualTo("/echo-headers");
        String setCookie = redeemed.headers().get("Set-Cookie");
        return new PublishPostgresTestSession(target[0],
                setCookie.substring("rde_preview=".length(), setCookie.indexOf(';')));
    }

    /** The published app starts with its snapshot; it answers once python has bound its port. */
    static PreviewClient.Response awaitAnswer(PublishPostgresTestSession session) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        PreviewClient.Response r;
        do {
            r = session.get("/echo-headers");
            if (r.status() == 200) {
                return r;
            }
            Api.sleep(200);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("the published app never answered: " + r.status() + " " + r.body());
    }

    // ---- the request --------------------------------------------------------------------------

    @Test
    @Order(1)
    void aRequestIsRefusedForAnotherUsersWorkspaceAnUnknownOneAndAPortOutsideTheBlueprint() {
        assertThat(request(aliceWorkspace, bob, 8000, "mine now").status()).isEqualTo(404);
        assertThat(request("ws-unknown", alice, 8000, "x").status()).isEqualTo(404);
        Api.Response port = request(aliceWorkspace, alice, 9999, "x");
        assertThat(port.status()).isEqualTo(400);
        assertThat(port.code()).isEqualTo("validation-failed");
        assertThat(api.get("/api/v1/workspaces/" + aliceWorkspace + "/publish-requests", bob).status()).isEqualTo(404);
        assertThat(api.get("/api/v1/publish-requests", alice).status()).isEqualTo(403);
    }

    // ---- approve → published → members only ---------------------------------------------------

    @Test
    @Order(2)
    void anApprovedRequestIsPublishedAndAnotherMemberReachesTheAppWhileOthersAreRefused() {
        JsonNode pending = requested(aliceWorkspace, alice, "first release");
        published = pending.get("id").asText();
        assertThat(pending.get("status").asText()).isEqualTo("PENDING");
        assertThat(pending.get("autoApproved").asBoolean()).isFalse();
        assertThat(pending.get("requester").asText()).isEqualTo("alice@example.com");
        assertThat(pending.get("workspaceName").asText()).isEqualTo("shop");
        assertThat(pending.get("note").asText()).isEqualTo("first release");
        assertThat(pending.get("reviewer").isNull()).isTrue();
        assertThat(pending.get("url").isNull()).isTrue();
        awaitListed(published, item -> true);
        Api.Response queue = api.get("/api/v1/publish-requests?status=PENDING", admin);
        assertThat(queue.body().get("items")).extracting(i -> i.get("id").asText()).contains(published);
        assertThat(queue.body().has("next")).isTrue();
        Api.Response own = api.get("/api/v1/workspaces/" + aliceWorkspace + "/publish-requests", alice);
        assertThat(own.body().get("items")).extracting(i -> i.get("id").asText()).containsExactly(published);

        Api.Response approved = review(published, "approve", "ship it", admin);

        assertThat(approved.status()).as("%s", approved.body()).isEqualTo(200);
        assertThat(approved.body().get("status").asText()).isEqualTo("APPROVED");
        assertThat(approved.body().get("reviewer").asText()).isEqualTo("admin@example.com");
        assertThat(approved.body().get("comment").asText()).isEqualTo("ship it");
        assertThat(approved.body().get("reviewedAt").isNull()).isFalse();
        JsonNode done = awaitStatus(published, "PUBLISHED");
        String url = done.get("url").asText();
        assertThat(url).matches("http://shop-[a-z0-9]{12}--pub\\.preview\\.localhost:" + portalPort);

        // Another member: ticket → cookie on the app's own host → the app, through the agent.
        bobsCookie = openPublished(published, bob);
        assertThat("http://" + bobsCookie.host()).isEqualTo(url);
        PreviewClient.Response answer = awaitAnswer(bobsCookie);
        assertThat(answer.body()).contains("\"path\": \"/echo-headers\"").contains(bobsCookie.host());

        // A non-member cannot get a ticket; nobody gets in without a cookie.
        Api.Response carolsTicket = api.post("/api/v1/published/" + published + "/tickets", "{}", carol);
        assertThat(carolsTicket.status()).isEqualTo(403);
        assertThat(carolsTicket.code()).isEqualTo("not-a-member");
        assertThat(api.post("/api/v1/published/" + published + "/tickets", "{}", null).status()).isEqualTo(401);
        PreviewClient.Response anonymous = browser.get(bobsCookie.host(), "/echo-headers", Map.of());
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.body()).contains("preview-session-required").doesNotContain("\"path\"");
        PreviewClient.Response forged = browser.get(bobsCookie.host(), "/echo-headers",
                Map.of("Cookie", "rde_preview=" + "A".repeat(43)));
        assertThat(forged.status()).isEqualTo(401);
        // The app's cookie is no preview's: a preview host of the request id is no way in.
        assertThat(browser.get("p8000--" + published + ".preview.localhost:" + portalPort, "/echo-headers",
                Map.of("Cookie", "rde_preview=" + bobsCookie.cookie())).status()).isEqualTo(404);

        // The history keeps who asked, who approved and when.
        assertThat(events("PublishRequestedEvent")).anyMatch(e -> e.contains(published) && e.contains("alice@example.com"));
        assertThat(events("PublishRequestApprovedEvent")).anyMatch(e -> e.contains(published) && e.contains("ship it"));
        assertThat(events("PublishRequestPublishedEvent")).anyMatch(e -> e.contains(published));
    }

    // ---- reviews are single-use, never your own ---------------------------------------------

    @Test
    @Order(3)
    void aRejectedRequestKeepsTheCommentAndNeitherCanBeReviewedTwice() {
        String id = requested(aliceWorkspace, alice, "second release").get("id").asText();

        Api.Response rejected = review(id, "reject", "not before Monday", admin);

        assertThat(rejected.status()).as("%s", rejected.body()).isEqualTo(200);
        assertThat(rejected.body().get("status").asText()).isEqualTo("REJECTED");
        assertThat(rejected.body().get("comment").asText()).isEqualTo("not before Monday");
        assertThat(rejected.body().get("reviewer").asText()).isEqualTo("admin@example.com");
        for (String verdict : List.of("approve", "reject")) {
            Api.Response again = review(id, verdict, "again", admin);
            assertThat(again.status()).as(verdict).isEqualTo(409);
            assertThat(again.code()).as(verdict).isEqualTo("already-reviewed");
        }
        Api.Response twice = review(published, "approve", "twice", admin);
        assertThat(twice.status()).isEqualTo(409);
        assertThat(twice.code()).isEqualTo("already-reviewed");
        assertThat(review("pr-unknown", "approve", "x", admin).status()).isEqualTo(404);
        assertThat(review(id, "approve", "x", alice).status()).isEqualTo(403);
        JsonNode listed = awaitStatus(id, "REJECTED");
        assertThat(listed.get("comment").asText()).isEqualTo("not before Monday");
        assertThat(events("PublishRequestRejectedEvent")).anyMatch(e -> e.contains(id) && e.contains("not before Monday"));
    }

    @Test
    @Order(4)
    void anAdminCannotApproveTheirOwnRequest() {
        String id = requested(adminWorkspace, admin, "mine").get("id").asText();
        adminsPending = id;

        Api.Response self = review(id, "approve", "looks good to me", admin);

        assertThat(self.status()).isEqualTo(403);
        assertThat(self.code()).isEqualTo("self-review");
        assertThat(review(id, "reject", "hmm", admin).code()).isEqualTo("self-review");
        assertThat(awaitListed(id, item -> true).get("status").asText()).isEqualTo("PENDING");
    }

    // ---- trust ------------------------------------------------------------------------------

    @Test
    @Order(5)
    void aTrustedMembersRequestIsApprovedAtOnceAndPublished() {
        Api.Response trusted = api.put("/api/v1/members/bob@example.com",
                "{\"role\":\"user\",\"trusted\":true,\"workspaceLimit\":null}", admin);
        assertThat(trusted.status()).as("%s", trusted.body()).isEqualTo(200);
        assertThat(events("MemberTrustGrantedEvent")).anyMatch(e -> e.contains("bob@example.com"));

        JsonNode request = requested(bobWorkspace, bob, "trusted release");

        assertThat(request.get("status").asText()).isEqualTo("APPROVED");
        assertThat(request.get("autoApproved").asBoolean()).isTrue();
        assertThat(request.get("reviewer").isNull()).isTrue();
        String id = request.get("id").asText();
        bobsApp = id;
        JsonNode done = awaitStatus(id, "PUBLISHED");
        assertThat(done.get("autoApproved").asBoolean()).isTrue();
        awaitAnswer(openPublished(id, alice));
    }

    @Test
    @Order(6)
    void revokingTrustChangesOnlyLaterRequests() {
        Api.Response revoked = api.put("/api/v1/members/bob@example.com",
                "{\"role\":\"user\",\"trusted\":false,\"workspaceLimit\":null}", admin);
        assertThat(revoked.status()).isEqualTo(200);
        assertThat(events("MemberTrustRevokedEvent")).anyMatch(e -> e.contains("bob@example.com"));

        JsonNode request = requested(bobWorkspace, bob, "after revocation");

        assertThat(request.get("status").asText()).isEqualTo("PENDING");
        assertThat(request.get("autoApproved").asBoolean()).isFalse();
        // The request approved while bob was trusted stays published.
        Api.Response bobs = api.get("/api/v1/workspaces/" + bobWorkspace + "/publish-requests", bob);
        assertThat(bobs.body().get("items")).anyMatch(i -> i.get("autoApproved").asBoolean()
                && i.get("status").asText().equals("PUBLISHED"));
    }

    // ---- ACL change between request and approval ----------------------------------------------

    @Test
    @Order(7)
    void anApprovalAfterTheRequesterLostTheBlueprintIsRefusedRecordedAndLeavesItPending() {
        String id = requested(aliceWorkspace, alice, "third release").get("id").asText();
        Api.Response acl = api.put("/api/v1/blueprints/" + blueprint, blueprint("[\"bob@example.com\"]"), admin);
        assertThat(acl.status()).as("%s", acl.body()).isEqualTo(200);

        Api.Response approval = review(id, "approve", "go", admin);

        assertThat(approval.status()).as("%s", approval.body()).isEqualTo(409);
        assertThat(approval.code()).isEqualTo("requester-access-revoked");
        assertThat(events("PublishApprovalRefusedEvent")).anyMatch(e -> e.contains(id) && e.contains("alice@example.com"));
        JsonNode listed = awaitListed(id, item -> !item.get("reason").isNull());
        assertThat(listed.get("status").asText()).isEqualTo("PENDING");
        assertThat(listed.get("reason").asText()).contains("may no longer use blueprint");
        // Still reviewable: the admin can reject it, once.
        assertThat(review(id, "reject", "no access any more", admin).status()).isEqualTo(200);
        api.put("/api/v1/blueprints/" + blueprint, blueprint("[\"alice@example.com\",\"bob@example.com\"]"), admin);
    }

    // ---- the app lives apart from the workspace; members only, now ---------------------------

    @Test
    @Order(8)
    void thePublishedAppOutlivesItsStoppedWorkspaceAndAStoppedWorkspaceCannotBePublished() {
        Api.Response stopped = api.post("/api/v1/workspaces/" + aliceWorkspace + "/stop", "{}", alice);
        assertThat(stopped.status()).isEqualTo(202);
        api.awaitWorkspace(aliceWorkspace, alice, "STOPPED"::equals, Duration.ofSeconds(60));

        assertThat(bobsCookie.get("/echo-headers").status()).isEqualTo(200);
        Api.Response request = request(aliceWorkspace, alice, 8000, "from a stopped workspace");
        assertThat(request.status()).isEqualTo(409);
    }

    @Test
    @Order(9)
    void aMemberWhoLeavesLosesThePublishedAppAtTheNextRequest() {
        assertThat(api.delete("/api/v1/members/bob@example.com", admin).status()).isEqualTo(204);

        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        PreviewClient.Response r;
        do {
            r = bobsCookie.get("/echo-headers");
        } while (r.status() == 200 && System.nanoTime() < deadline && sleep());
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.body()).contains("not-a-member").doesNotContain("\"path\"");
    }

    // ---- unpublish: the requester or an admin takes the app down --------------------------------

    @Test
    @Order(10)
    void theRequesterUnpublishesTheirAppWhichThenAnswersNobodyAndOnlyTheyOrAnAdminMay() {
        PublishPostgresTestSession adminsCookie = openPublished(published, admin);
        awaitAnswer(adminsCookie);
        ProcessHandle app = WorkspaceProcesses.published(dataDir.resolve("agent"), published).orElseThrow();

        // Not theirs, unknown, or not published: refused, and nothing recorded.
        Api.Response notTheirs = api.post("/api/v1/publish-requests/" + bobsApp + "/unpublish", "{}", alice);
        assertThat(notTheirs.status()).isEqualTo(404);
        assertThat(notTheirs.code()).isEqualTo("not-found");
        assertThat(api.post("/api/v1/publish-requests/pr-unknown/unpublish", "{}", alice).status()).isEqualTo(404);
        assertThat(api.post("/api/v1/publish-requests/" + published + "/unpublish", "{}", carol).status()).isEqualTo(403);
        Api.Response pending = api.post("/api/v1/publish-requests/" + adminsPending + "/unpublish", "{}", admin);
        assertThat(pending.status()).isEqualTo(409);
        assertThat(pending.code()).isEqualTo("state-conflict");
        assertThat(events("PublishRequestUnpublishingEvent")).isEmpty();

        Api.Response unpublish = api.post("/api/v1/publish-requests/" + published + "/unpublish", "{}", alice);

        assertThat(unpublish.status()).as("%s", unpublish.body()).isEqualTo(202);
        assertThat(unpublish.body().get("status").asText()).isEqualTo("UNPUBLISHING");
        assertThat(api.post("/api/v1/publish-requests/" + published + "/unpublish", "{}", alice).status())
                .as("once").isEqualTo(409);
        awaitStatus(published, "UNPUBLISHED");
        assertThat(app.onExit()).succeedsWithin(Duration.ofSeconds(30));
        assertThat(WorkspaceProcesses.published(dataDir.resolve("agent"), published)).isEmpty();
        // The gateway trusts its lookup of an app's host for 2 s; meanwhile the agent, which no
        // longer runs the app, answers 502.
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        PreviewClient.Response r;
        do {
            r = adminsCookie.get("/echo-headers");
        } while (r.status() != 404 && System.nanoTime() < deadline && sleep());
        assertThat(r.status()).as("the app's host after unpublishing").isEqualTo(404);
        assertThat(r.body()).doesNotContain("\"path\"");
        assertThat(api.post("/api/v1/published/" + published + "/tickets", "{}", admin).status()).isEqualTo(409);
        assertThat(events("PublishRequestUnpublishingEvent")).anyMatch(e -> e.contains(published)
                && e.contains("alice@example.com"));
        assertThat(events("PublishRequestUnpublishedEvent")).anyMatch(e -> e.contains(published));

        // An admin may take down anyone's app.
        Api.Response byAdmin = api.post("/api/v1/publish-requests/" + bobsApp + "/unpublish", "{}", admin);
        assertThat(byAdmin.status()).as("%s", byAdmin.body()).isEqualTo(202);
        awaitStatus(bobsApp, "UNPUBLISHED");
    }

    private static boolean sleep() {
        Api.sleep(200);
        return true;
    }
}
