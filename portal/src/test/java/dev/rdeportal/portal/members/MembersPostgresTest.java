package dev.rdeportal.portal.members;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rdeportal.portal.support.Api;
import dev.rdeportal.portal.support.PortalHarness;
import dev.rdeportal.portal.support.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
 * Membership, roles, blueprint ACLs and the running-workspace limit through the real portal on
 * PostgreSQL: alice is a bootstrap member, bob starts as an outsider (no auto-join rule here).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MembersPostgresTest {

    static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    static Path dataDir;
    static PortalHarness portal;
    static Api api;
    static String admin;
    static String alice;
    static String bob;

    @BeforeAll
    static void start() {
        portal = PortalHarness.start(TestDatabase.create(), dataDir, true,
                "--rde.security.members=alice@example.com",
                "--rde.security.auto-join-domains=",
                "--rde.workspaces.default-limit=3");
        api = portal.api();
        admin = portal.login("admin@example.com", "admin");
        alice = portal.login("alice@example.com", "alice");
        bob = portal.login("bob@example.com", "bob");
    }

    @AfterAll
    static void stop() {
        if (portal != null) {
            portal.close();
        }
    }

    static long events(String type) {
        return portal.context().getBean(JdbcTemplate.class).queryForObject(
                "SELECT count(*) FROM domain_event_entry WHERE payload_type LIKE ?", Long.class, "%." + type);
    }

    @Test
    @Order(1)
    void aNonMemberIsRefusedEverywhereButAuthConfigAndTheAttemptIsRecordedOnce() {
        long before = events("MemberAccessRefusedEvent");
        for (String path : List.of("/api/v1/workspaces", "/api/v1/blueprints", "/api/v1/me", "/api/v1/members")) {
            Api.Response r = api.get(path, bob);
            assertThat(r.status()).as(path).isEqualTo(403);
            assertThat(r.code()).as(path).isEqualTo("not-a-member");
            assertThat(r.contentType()).startsWith("application/problem+json");
        }
        Api.Response launch = api.post("/api/v1/workspaces", "{\"blueprintId\":\"bp-sample\",\"name\":\"x\"}", bob);
        assertThat(launch.code()).isEqualTo("not-a-member");
        assertThat(api.get("/api/v1/auth/config", bob).status()).isEqualTo(200);
        // Five refusals within the throttle interval: one recorded attempt.
        await(() -> events("MemberAccessRefusedEvent") - before, n -> n == 1L);
        Api.sleep(300);
        assertThat(events("MemberAccessRefusedEvent") - before).isEqualTo(1L);
        String payload = new String(portal.context().getBean(JdbcTemplate.class).queryForObject(
                "SELECT payload FROM domain_event_entry WHERE payload_type LIKE '%.MemberAccessRefusedEvent' "
                        + "ORDER BY global_index DESC LIMIT 1", byte[].class), StandardCharsets.UTF_8);
        assertThat(payload).contains("bob@example.com").contains("/api/v1/");
    }

    @Test
    @Order(2)
    void anAdminInvitesAMemberWhoThenUsesThePortal() {
        assertThat(api.put("/api/v1/members/bob@example.com", "{\"role\":\"user\"}", alice).code())
                .as("users do not manage members").isEqualTo("forbidden");
        Api.Response invited = api.put("/api/v1/members/Bob@Example.com",
                "{\"role\":\"user\",\"trusted\":true,\"workspaceLimit\":null}", admin);
        assertThat(invited.status()).as("%s", invited.body()).isEqualTo(200);
        assertThat(invited.body().get("email").asText()).isEqualTo("bob@example.com");

        Api.Response me = api.get("/api/v1/me", bob);
        assertThat(me.status()).as("%s", me.body()).isEqualTo(200);
        assertThat(me.body().get("role").asText()).isEqualTo("user");
        assertThat(me.body().get("trusted").asBoolean()).isTrue();
        assertThat(me.body().get("workspaceLimit").isNull()).isTrue();
        assertThat(api.get("/api/v1/me", admin).body().get("role").asText()).isEqualTo("admin");

        JsonNode list = await(() -> api.get("/api/v1/members", admin).body(),
                body -> body.get("items").findValuesAsText("email").contains("bob@example.com"));
        assertThat(list.get("items").findValuesAsText("email")).contains("admin@example.com", "alice@example.com");
        assertThat(list.has("next")).isTrue();
        assertThat(api.get("/api/v1/members", alice).code()).isEqualTo("forbidden");
        assertThat(api.put("/api/v1/members/carol@example.com", "{\"role\":\"boss\"}", admin).code())
                .isEqualTo("validation-failed");
        assertThat(api.put("/api/v1/members/not-an-email", "{\"role\":\"user\"}", admin).code())
                .isEqualTo("validation-failed");
        assertThat(api.delete("/api/v1/members/nobody@example.com", admin).code()).isEqualTo("not-found");
    }

    @Test
    @Order(3)
    void theLastAdminCanBeNeitherRemovedNorDemotedButRolesApplyAtOnce() {
        Api.Response remove = api.delete("/api/v1/members/admin@example.com", admin);
        assertThat(remove.status()).isEqualTo(409);
        assertThat(remove.code()).isEqualTo("last-admin");
        Api.Response demote = api.put("/api/v1/members/admin@example.com", "{\"role\":\"user\"}", admin);
        assertThat(demote.code()).isEqualTo("last-admin");

        // With a second admin, the first may step down; the new admin's role applies on the next call.
        assertThat(api.put("/api/v1/members/alice@example.com", "{\"role\":\"admin\"}", admin).status()).isEqualTo(200);
        assertThat(api.get("/api/v1/members", alice).status()).isEqualTo(200);
        assertThat(api.put("/api/v1/members/alice@example.com", "{\"role\":\"user\"}", alice).status()).isEqualTo(200);
        assertThat(api.get("/api/v1/members", alice).code()).isEqualTo("forbidden");
    }

    @Test
    @Order(4)
    void blueprintAclsDecideWhoSeesAndLaunchesAndAChangeRefusesNewLaunchesOnly() {
        Api.Response created = api.post("/api/v1/blueprints", """
                {"name":"secret","image":"debian:12","resources":{"cpu":"1","memory":"1Gi","storage":"1Gi"},
                 "startCommand":"exec sleep 600",
                 "acl":{"mode":"restricted","emails":["Alice@example.com"],"domains":[]}}""", admin);
        assertThat(created.status()).as("%s", created.body()).isEqualTo(201);
        String id = created.body().get("id").asText();
        JsonNode shown = await(() -> api.get("/api/v1/blueprints/" + id, admin), r -> r.status() == 200).body();
        assertThat(shown.get("acl").get("mode").asText()).isEqualTo("restricted");
        assertThat(shown.get("acl").get("emails").get(0).asText()).isEqualTo("alice@example.com");

        assertThat(api.get("/api/v1/blueprints/" + id, alice).status()).isEqualTo(200);
        assertThat(api.get("/api/v1/blueprints", alice).body().get("items").findValuesAsText("id")).contains(id);
        Api.Response hidden = api.get("/api/v1/blueprints/" + id, bob);
        assertThat(hidden.status()).isEqualTo(404);
        assertThat(hidden.body().get("detail").asText())
                .isEqualTo(api.get("/api/v1/blueprints/bp-nope", bob).body().get("detail").asText().replace("bp-nope", id));
        assertThat(api.get("/api/v1/blueprints", bob).body().get("items").findValuesAsText("id"))
                .doesNotContain(id).contains("bp-sample");

        // A refused launch reads exactly like a launch of an unknown blueprint.
        Api.Response refused = api.post("/api/v1/workspaces", "{\"blueprintId\":\"" + id + "\",\"name\":\"nope\"}", bob);
        Api.Response unknown = api.post("/api/v1/workspaces", "{\"blueprintId\":\"bp-nope\",\"name\":\"nope\"}", bob);
        assertThat(refused.status()).isEqualTo(unknown.status());
        assertThat(refused.code()).isEqualTo(unknown.code());
        assertThat(refused.body().get("detail").asText())
                .isEqualTo(unknown.body().get("detail").asText().replace("bp-nope", id));

        Api.Response launched = api.post("/api/v1/workspaces", "{\"blueprintId\":\"" + id + "\",\"name\":\"acl\"}", alice);
        assertThat(launched.status()).as("%s", launched.body()).isEqualTo(202);
        String ws = launched.body().get("id").asText();
        api.awaitWorkspace(ws, alice, "RUNNING"::equals, TIMEOUT);

        // The ACL changes mid-flight: alice's running workspace keeps running, her next launch is refused.
        assertThat(api.put("/api/v1/blueprints/" + id, """
                {"name":"secret","image":"debian:12","resources":{"cpu":"1","memory":"1Gi","storage":"1Gi"},
                 "startCommand":"exec sleep 600",
                 "acl":{"mode":"restricted","emails":[],"domains":["elsewhere.test"]}}""", admin).status()).isEqualTo(200);
        Api.Response again = api.post("/api/v1/workspaces", "{\"blueprintId\":\"" + id + "\",\"name\":\"acl2\"}", alice);
        assertThat(again.code()).isEqualTo(unknown.code());
        assertThat(api.get("/api/v1/workspaces/" + ws, alice).body().get("status").asText()).isEqualTo("RUNNING");
        await(() -> api.get("/api/v1/blueprints/" + id, alice), r -> r.status() == 404);
        assertThat(api.get("/api/v1/blueprints/" + id, admin).status()).as("admins see every blueprint").isEqualTo(200);
        assertThat(api.post("/api/v1/workspaces/" + ws + "/stop", null, alice).status()).isEqualTo(202);
        api.awaitWorkspace(ws, alice, "STOPPED"::equals, TIMEOUT);
    }

    @Test
    @Order(5)
    void concurrentLaunchesAtTheLimitLeaveExactlyTheLimit() throws Exception {
        int attempts = 8;
        ExecutorService pool = Executors.newFixedThreadPool(attempts);
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Api.Response>> launches = new ArrayList<>();
        try {
            for (int i = 0; i < attempts; i++) {
                String name = "race-" + i;
                launches.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    return api.post("/api/v1/workspaces", "{\"blueprintId\":\"bp-sample\",\"name\":\"" + name + "\"}", bob);
                }, pool));
            }
            go.countDown();
            List<Api.Response> answers = launches.stream().map(CompletableFuture::join).toList();
            List<Api.Response> accepted = answers.stream().filter(r -> r.status() == 202).toList();
            assertThat(accepted).as("accepted at limit 3").hasSize(3);
            assertThat(answers.stream().filter(r -> r.status() != 202))
                    .allSatisfy(r -> {
                        assertThat(r.status()).isEqualTo(409);
                        assertThat(r.code()).isEqualTo("workspace-limit-reached");
                    });

            // A deleted workspace gives its slot back; a per-member override replaces the default.
            String first = accepted.get(0).body().get("id").asText();
            api.awaitWorkspace(first, bob, s -> !s.equals("PROVISIONING"), TIMEOUT);
            assertThat(api.delete("/api/v1/workspaces/" + first, bob).status()).isEqualTo(202);
            api.awaitWorkspace(first, bob, "DELETED"::equals, TIMEOUT);
            await(() -> api.post("/api/v1/workspaces", "{\"blueprintId\":\"bp-sample\",\"name\":\"after\"}", bob),
                    r -> r.status() == 202);
            assertThat(api.post("/api/v1/workspaces", "{\"blueprintId\":\"bp-sample\",\"name\":\"over\"}", bob).code())
                    .isEqualTo("workspace-limit-reached");
            assertThat(api.put("/api/v1/members/bob@example.com", "{\"role\":\"user\",\"workspaceLimit\":4}", admin)
                    .status()).isEqualTo(200);
            assertThat(api.post("/api/v1/workspaces", "{\"blueprintId\":\"bp-sample\",\"name\":\"more\"}", bob).status())
                    .isEqualTo(202);
        } finally {
            pool.shutdownNow();
        }
    }

    static <T> T await(java.util.function.Supplier<T> probe, Predicate<T> done) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        T last = probe.get();
        while (!done.test(last) && System.nanoTime() < deadline) {
            Api.sleep(100);
            last = probe.get();
        }
        assertThat(done.test(last)).as("condition within %s; last %s", TIMEOUT, last).isTrue();
        return last;
    }
}
