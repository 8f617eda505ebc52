package dev.rdeportal.portal.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rdeportal.domain.settings.RateLimits;
import dev.rdeportal.portal.server.ratelimit.ApiRateLimits;
import dev.rdeportal.portal.support.Api;
import dev.rdeportal.portal.support.PortalHarness;
import dev.rdeportal.portal.support.TestDatabase;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Settings and rate limits end to end, on PostgreSQL, through the public API. The test's loopback
 * connection is a trusted proxy, so each request says with {@code X-Forwarded-For} which address
 * it comes from: calls meant to exercise a user's limit come from addresses of their own, and the
 * address limit is exercised from one address.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RateLimitPostgresTest {

    static final int REQUESTS = 12;
    static final int LAUNCHES = 2;
    static final AtomicInteger NEXT_ADDRESS = new AtomicInteger(1);

    @TempDir
    static Path dataDir;
    static PortalHarness portal;
    static Api api;
    static String admin;
    static String alice;
    static String bob;

    @BeforeAll
    static void start() {
        portal = PortalHarness.start(TestDatabase.create(), dataDir, false,
                "--rde.security.trusted-proxies=127.0.0.1/32,::1");
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

    /** A call from an address no other call uses, so only the user's limit can refuse it. */
    static Api.Response call(String method, String path, String json, String token) {
        return from("10.0." + (NEXT_ADDRESS.get() / 250) + "." + (NEXT_ADDRESS.getAndIncrement() % 250 + 1),
                method, path, json, token);
    }

    static Api.Response from(String ip, String method, String path, String json, String token) {
        HttpRequest.Builder request = api.builder(path, token).header("X-Forwarded-For", ip);
        if (json != null) {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return api.send(request);
    }

    static String settings(String productName, int launches, int requests) {
        return "{\"branding\":{\"productName\":\"" + productName + "\",\"accentColor\":\"#AA0000\",\"logoUrl\":\"/logo.svg\"},"
                + "\"rateLimits\":{\"launchesPerMinute\":" + launches + ",\"requestsPerMinute\":" + requests + "}}";
    }

    /** PUT answers once the read model has the change; the limiters follow its update. */
    static void awaitLimits(RateLimits expected) {
        ApiRateLimits limits = portal.context().getBean(ApiRateLimits.class);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!limits.limits().equals(expected) && System.nanoTime() < deadline) {
            Api.sleep(50);
        }
        assertThat(limits.limits()).isEqualTo(expected);
    }

    static void assertRateLimited(Api.Response r) {
        assertThat(r.status()).isEqualTo(429);
        assertThat(r.code()).isEqualTo("rate-limited");
        assertThat(r.contentType()).startsWith("application/problem+json");
        long retryAfter = Long.parseLong(r.raw().headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(1L, 60L);
        var headers = r.raw().headers();
        assertThat(headers.firstValue("Content-Security-Policy").orElse("")).contains("default-src 'none'");
        assertThat(headers.firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(headers.firstValue("Referrer-Policy")).hasValue("no-referrer");
    }

    @Test
    @Order(0)
    void theBrandingNeedsNoTokenAndCarriesTheSecurityHeaders() {
        Api.Response branding = api.get("/api/v1/branding", null);
        assertThat(branding.status()).isEqualTo(200);
        assertThat(branding.body().get("productName").asText()).isEqualTo("RDE Portal");
        assertThat(branding.body().get("accentColor").asText()).matches("#[0-9a-f]{6}");
        assertThat(branding.body().get("logoUrl").isNull()).isTrue();
        assertThat(branding.body().has("rateLimits")).isFalse();
        assertThat(branding.raw().headers().firstValue("Content-Security-Policy").orElse("")).contains("default-src 'none'");
        assertThat(branding.raw().headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    }

    @Test
    @Order(1)
    void onlyAdminsReadAndChangeTheSettings() {
        Api.Response read = api.get("/api/v1/settings", alice);
        assertThat(read.status()).isEqualTo(403);
        assertThat(read.code()).isEqualTo("forbidden");
        Api.Response change = api.put("/api/v1/settings", settings("Alice's", 100, 100), alice);
        assertThat(change.status()).isEqualTo(403);
        assertThat(api.get("/api/v1/settings", null).status()).isEqualTo(401);

        Api.Response defaults = api.get("/api/v1/settings", admin);
        assertThat(defaults.status()).isEqualTo(200);
        assertThat(defaults.body().at("/rateLimits/requestsPerMinute").asInt()).as("the test's configured initial value")
                .isEqualTo(100_000);

        for (String invalid : new String[] {settings("Acme", 0, 10), settings("Acme", 1, 100_001),
                settings("", 1, 10), settings("Acme", 1, 10).replace("#AA0000", "red"),
                settings("Acme", 1, 10).replace("/logo.svg", "javascript:alert(1)"),
                "{\"branding\":{\"productName\":\"Acme\",\"accentColor\":\"#aa0000\"}}"}) {
            Api.Response refused = api.put("/api/v1/settings", invalid, admin);
            assertThat(refused.status()).as(invalid).isEqualTo(400);
            assertThat(refused.code()).as(invalid).isEqualTo("validation-failed");
        }
        assertThat(portal.context().getBean(ApiRateLimits.class).limits().requestsPerMinute()).isEqualTo(100_000);
    }

    @Test
    @Order(2)
    void anAdminLowersTheLimitsAtRunTimeAndTheChangeIsAudited() {
        Api.Response saved = api.put("/api/v1/settings", settings(" Acme Dev ", LAUNCHES, REQUESTS), admin);
        assertThat(saved.status()).isEqualTo(200);
        assertThat(saved.body().at("/branding/productName").asText()).isEqualTo("Acme Dev");
        assertThat(saved.body().at("/branding/accentColor").asText()).isEqualTo("#aa0000");
        assertThat(saved.body().at("/rateLimits/launchesPerMinute").asInt()).isEqualTo(LAUNCHES);
        awaitLimits(new RateLimits(LAUNCHES, REQUESTS));

        JsonNode read = call("GET", "/api/v1/settings", null, admin).body();
        assertThat(read.at("/rateLimits/requestsPerMinute").asInt()).isEqualTo(REQUESTS);
        assertThat(read.at("/branding/logoUrl").asText()).isEqualTo("/logo.svg");
        assertThat(call("GET", "/api/v1/branding", null, null).body().get("productName").asText()).isEqualTo("Acme Dev");

        JsonNode audit = call("GET", "/api/v1/audit?type=SettingsChangedEvent", null, admin).body();
        assertThat(audit.get("items")).hasSize(1);
        assertThat(audit.get("items").get(0).get("actor").asText()).isEqualTo("admin@example.com");
    }

    @Test
    @Order(3)
    void aUserGetsExactlyTheLimitAndAnotherUserIsUnaffected() {
        for (int i = 1; i <= REQUESTS; i++) {
            assertThat(call("GET", "/api/v1/me", null, alice).status()).as("call %d", i).isEqualTo(200);
        }
        Api.Response refused = call("GET", "/api/v1/me", null, alice);
        assertRateLimited(refused);
        // Refused calls count too: still refused, whatever the path or outcome would have been.
        assertRateLimited(call("GET", "/api/v1/workspaces", null, alice));
        assertRateLimited(call("POST", "/api/v1/workspaces", "{}", alice));

        assertThat(call("GET", "/api/v1/me", null, bob).status()).isEqualTo(200);
        assertThat(call("GET", "/api/v1/me", null, admin).status()).isEqualTo(200);
    }

    @Test
    @Order(4)
    void oneAddressGetsExactlyTheLimitWithOrWithoutAToken() {
        String ip = "203.0.113.7";
        for (int i = 1; i <= REQUESTS; i++) {
            assertThat(from(ip, "GET", "/api/v1/branding", null, null).status()).as("call %d", i).isEqualTo(200);
        }
        assertRateLimited(from(ip, "GET", "/api/v1/branding", null, null));
        // Counted before authentication: no token, or a bad one, is refused the same way.
        assertRateLimited(from(ip, "GET", "/api/v1/me", null, "not-a-token"));
        // Both limits must pass: bob has calls left, but not from this address.
        assertRateLimited(from(ip, "GET", "/api/v1/me", null, bob));
        assertThat(call("GET", "/api/v1/me", null, bob).status()).isEqualTo(200);
        assertThat(from("203.0.113.8", "GET", "/api/v1/branding", null, null).status()).isEqualTo(200);
        // The UI is not the API.
        assertThat(api.send(api.builder("/workspaces", null).header("X-Forwarded-For", ip)
                .header("Accept", "text/html").GET()).status()).isEqualTo(200);
    }

    @Test
    @Order(5)
    void launchesAreLimitedPerUserApartFromRequests() {
        for (int i = 1; i <= LAUNCHES; i++) {
            Api.Response launch = call("POST", "/api/v1/workspaces",
                    "{\"blueprintId\":\"bp-sample\",\"name\":\"bob-" + i + "\"}", bob);
            assertThat(launch.status()).as("launch %d: %s", i, launch.body()).isEqualTo(202);
        }
        Api.Response refused = call("POST", "/api/v1/workspaces", "{\"blueprintId\":\"bp-sample\",\"name\":\"bob-3\"}", bob);
        assertRateLimited(refused);
        assertThat(refused.body().get("detail").asText()).contains("launches");
        // Bob still has requests left; the admin still has launches.
        assertThat(call("GET", "/api/v1/workspaces", null, bob).status()).isEqualTo(200);
        assertThat(call("POST", "/api/v1/workspaces", "{\"blueprintId\":\"bp-sample\",\"name\":\"admin-1\"}", admin)
                .status()).isEqualTo(202);
    }

    @Test
    @Order(6)
    void raisingTheLimitsAppliesAtOnce() {
        Api.Response saved = call("PUT", "/api/v1/settings", settings("Acme Dev", 50, 1000), admin);
        assertThat(saved.status()).isEqualTo(200);
        awaitLimits(new RateLimits(50, 1000));
        assertThat(call("GET", "/api/v1/me", null, alice).status()).isEqualTo(200);
        assertThat(call("POST", "/api/v1/workspaces", "{\"blueprintId\":\"bp-sample\",\"name\":\"bob-3\"}", bob)
                .status()).isEqualTo(202);
        assertThat(call("GET", "/api/v1/audit?type=SettingsChangedEvent", null, admin).body().get("items")).hasSize(2);
    }
}
