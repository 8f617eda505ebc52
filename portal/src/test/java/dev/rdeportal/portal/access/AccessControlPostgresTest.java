package dev.rdeportal.portal.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rdeportal.portal.support.Api;
import dev.rdeportal.portal.support.PortalHarness;
import dev.rdeportal.portal.support.TestDatabase;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Operators;

/**
 * Client IP, trusted proxies and the IP firewall end to end, on PostgreSQL, through the public API.
 * The test's loopback connection is configured as a trusted proxy, so each request can say where
 * it comes from with {@code X-Forwarded-For}, as a real proxy would.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AccessControlPostgresTest {

    static final String OFFICE_ADMIN = "192.0.2.10";
    static final String STOLEN_LAPTOP = "192.0.2.66";
    static final String ELSEWHERE = "198.51.100.9";
    static final String OFFICE_V6 = "2001:db8::5";

    @TempDir
    static Path dataDir;
    static PortalHarness portal;
    static Api api;
    static String admin;
    static String alice;

    @BeforeAll
    static void start() {
        portal = PortalHarness.start(TestDatabase.create(), dataDir, false,
                "--rde.security.trusted-proxies=127.0.0.1/32,::1",
                "--rde.security.firewall.apply-to-api=true",
                "--rde.security.firewall.event-interval=0s");
        api = portal.api();
        admin = portal.login("admin@example.com", "admin");
        alice = portal.login("alice@example.com", "alice");
    }

    @AfterAll
    static void stop() {
        if (portal != null) {
            portal.close();
        }
    }

    static Api.Response from(String ip, String method, String path, String json, String token) {
        HttpRequest.Builder request = api.builder(path, token).header("X-Forwarded-For", "203.0.113.250, " + ip);
        if (json != null) {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return api.send(request);
    }

    @Test
    @Order(0)
    void everyResponseCarriesTheSecurityHeadersErrorsIncluded() {
        Api.Response ok = api.get("/api/v1/auth/config", null);
        assertThat(ok.status()).isEqualTo(200);
        assertSecurityHeaders(ok, "default-src 'none'");
        Api.Response unauthenticated = api.get("/api/v1/me", null);
        assertThat(unauthenticated.status()).isEqualTo(401);
        assertSecurityHeaders(unauthenticated, "default-src 'none'");
        Api.Response forbidden = api.get("/api/v1/security/firewall", alice);
        assertThat(forbidden.status()).isEqualTo(403);
        assertSecurityHeaders(forbidden, "default-src 'none'");
        Api.Response notFound = api.get("/api/v1/no-such-thing", alice);
        assertThat(notFound.status()).isEqualTo(404);
        assertSecurityHeaders(notFound, "default-src 'none'");
        Api.Response page = api.send(api.builder("/workspaces", null).header("Accept", "text/html").GET());
        assertThat(page.status()).isEqualTo(200);
        assertSecurityHeaders(page, "script-src 'self';");
        assertThat(page.raw().headers().firstValue("Strict-Transport-Security")).isEmpty();

        // HSTS once a trusted proxy says the client came over TLS.
        Api.Response tls = api.send(api.builder("/api/v1/auth/config", null).header("X-Forwarded-Proto", "https").GET());
        assertThat(tls.raw().headers().firstValue("Strict-Transport-Security").orElse("")).contains("max-age=");

        // The identity provider, a servlet application of its own, sends them too.
        Api idp = new Api(portal.issuer());
        Api.Response discovery = idp.get("/.well-known/openid-configuration", null);
        assertThat(discovery.status()).isEqualTo(200);
        assertSecurityHeaders(discovery, "frame-ancestors 'none'");
        Api.Response badToken = idp.send(idp.builder("/oauth2/token", null)
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=authorization_code&client_id=rde-cli")));
        assertThat(badToken.status()).isBetween(400, 499);
        assertSecurityHeaders(badToken, "frame-ancestors 'none'");
        Api.Response login = idp.get("/login", null);
        assertThat(login.status()).isEqualTo(200);
        assertSecurityHeaders(login, "script-src 'self'");
    }

    static void assertSecurityHeaders(Api.Response response, String policyPart) {
        var headers = response.raw().headers();
        assertThat(headers.firstValue("Content-Security-Policy").orElse("")).as("CSP on %s", response.raw().uri())
                .contains(policyPart).contains("frame-ancestors 'none'");
        assertThat(headers.firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(headers.firstValue("Referrer-Policy")).hasValue("no-referrer");
        assertThat(headers.firstValue("Cross-Origin-Opener-Policy")).hasValue("same-origin");
        assertThat(headers.firstValue("Permissions-Policy").orElse("")).contains("camera=()");
    }

    @Test
    @Order(1)
    void onlyAdminsSeeTheFirewallAndItStartsOpen() {
        Api.Response rules = from(OFFICE_ADMIN, "GET", "/api/v1/security/firewall", null, admin);
        assertThat(rules.status()).isEqualTo(200);
        assertThat(rules.body().get("rules")).isEmpty();
        Api.Response refused = from(OFFICE_ADMIN, "GET", "/api/v1/security/firewall", null, alice);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.code()).isEqualTo("forbidden");
        assertThat(from(OFFICE_ADMIN, "PUT", "/api/v1/security/firewall", "{\"rules\":[]}", alice).status()).isEqualTo(403);
        assertThat(from(OFFICE_ADMIN, "GET", "/api/v1/security/firewall/events", null, alice).status()).isEqualTo(403);
    }

    @Test
    @Order(2)
    void badRulesAreRefusedWithAReason() {
        Api.Response badCidr = from(OFFICE_ADMIN, "PUT", "/api/v1/security/firewall",
                "{\"rules\":[{\"action\":\"allow\",\"cidr\":\"192.0.2.1/24\"}]}", admin);
        assertThat(badCidr.status()).isEqualTo(400);
        assertThat(badCidr.contentType()).contains("application/problem+json");
        assertThat(badCidr.code()).isEqualTo("validation-failed");
        assertThat(badCidr.body().get("detail").asText()).contains("rules[0].cidr").contains("192.0.2.0/24");

        Api.Response badAction = from(OFFICE_ADMIN, "PUT", "/api/v1/security/firewall",
                "{\"rules\":[{\"action\":\"permit\",\"cidr\":\"192.0.2.0/24\"}]}", admin);
        assertThat(badAction.code()).isEqualTo("validation-failed");
        assertThat(badAction.body().get("detail").asText()).contains("rules[0].action must be allow or deny");

        Api.Response hostname = from(OFFICE_ADMIN, "PUT", "/api/v1/security/firewall",
                "{\"rules\":[{\"action\":\"deny\",\"cidr\":\"evil.example.com\"}]}", admin);
        assertThat(hostname.code()).isEqualTo("validation-failed");

        Api.Response malformed = from(OFFICE_ADMIN, "PUT", "/api/v1/security/firewall", "{\"rules\":5}", admin);
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.body().toString()).doesNotContain("Exception").doesNotContain("at dev.");
    }

    @Test
    @Order(3)
    void anAdminCannotLockThemselvesOutOfTheApi() {
        Api.Response r = from(ELSEWHERE, "PUT", "/api/v1/security/firewall",
                "{\"rules\":[{\"action\":\"allow\",\"cidr\":\"192.0.2.0/24\"}]}", admin);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body().get("detail").asText()).contains("would block your own address " + ELSEWHERE);
    }

    @Test
    @Order(4)
    void rulesAreStoredCanonicallyAndAppliedAtOnce() {
        Api.Response put = from(OFFICE_ADMIN, "PUT", "/api/v1/security/firewall", """
                {"rules":[{"action":"allow","cidr":"192.0.2.0/24","note":"office"},
                          {"action":"DENY","cidr":"192.0.2.66","note":"stolen laptop"},
                          {"action":"allow","cidr":"2001:DB8:0::/32"}]}""", admin);
        assertThat(put.status()).as("%s", put.body()).isEqualTo(200);
        JsonNode rules = from(OFFICE_ADMIN, "GET", "/api/v1/security/firewall", null, admin).body().get("rules");
        assertThat(rules).hasSize(3);
        assertThat(rules.get(1).get("action").asText()).isEqualTo("deny");
        assertThat(rules.get(1).get("cidr").asText()).isEqualTo("192.0.2.66/32");
        assertThat(rules.get(1).get("note").asText()).isEqualTo("stolen laptop");
        assertThat(rules.get(2).get("cidr").asText()).isEqualTo("2001:db8::/32");

        // The change is an event like any other: who, and from the address the proxy vouched for.
        JsonNode audit = from(OFFICE_ADMIN, "GET", "/api/v1/audit?type=FirewallRulesReplacedEvent", null, admin).body();
        JsonNode last = audit.get("items").get(audit.get("items").size() - 1);
        assertThat(last.get("actor").asText()).isEqualTo("admin@example.com");
        assertThat(last.get("ip").asText()).isEqualTo(OFFICE_ADMIN);

        // Applied without waiting for a refresh: the very next request is refused.
        Api.Response blocked = from(STOLEN_LAPTOP, "GET", "/api/v1/workspaces", null, alice);
        assertThat(blocked.status()).isEqualTo(403);
        assertThat(blocked.code()).isEqualTo("firewall-blocked");
        assertThat(blocked.contentType()).contains("application/problem+json");
        assertThat(from(OFFICE_V6, "GET", "/api/v1/workspaces", null, alice).status()).isEqualTo(200);
        assertThat(from("192.0.2.77", "GET", "/api/v1/workspaces", null, alice).status()).isEqualTo(200);
    }

    @Test
    @Order(5)
    void terminalsFromOutsideTheAllowListAreRefusedBeforeTheUpgrade() {
        Api.Response refused = from(ELSEWHERE, "GET", "/api/v1/workspaces/ws-nothere/terminal", null, null);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.code()).isEqualTo("firewall-blocked");
        assertThat(refused.body().get("detail").asText()).contains(ELSEWHERE);

        // From the office the firewall lets it through to the terminal endpoint's own checks.
        Api.Response passed = from("192.0.2.20", "GET", "/api/v1/workspaces/ws-nothere/terminal", null, null);
        assertThat(passed.code()).isNotEqualTo("firewall-blocked");

        // What the client wrote left of the hop our proxy appended is not believed.
        Api.Response forged = api.send(api.builder("/api/v1/workspaces/ws-nothere/terminal", null)
                .header("X-Forwarded-For", "192.0.2.20, " + ELSEWHERE).GET());
        assertThat(forged.code()).isEqualTo("firewall-blocked");
        assertThat(forged.body().get("detail").asText()).contains(ELSEWHERE);
    }

    @Test
    @Order(6)
    void refusalsAreListedForAdminsWithTheRuleThatMatched() {
        JsonNode terminal = awaitBlock(b -> b.get("target").asText().equals("terminal:ws-nothere")
                && b.get("clientIp").asText().equals(ELSEWHERE));
        assertThat(terminal.get("rule").isNull()).isTrue();
        assertThat(terminal.get("reason").asText()).contains("no allow rule");
        assertThat(terminal.get("user").isNull()).isTrue();

        JsonNode apiBlock = awaitBlock(b -> b.get("clientIp").asText().equals(STOLEN_LAPTOP));
        assertThat(apiBlock.get("target").asText()).isEqualTo("api:GET /api/v1/workspaces");
        assertThat(apiBlock.get("rule").get("cidr").asText()).isEqualTo("192.0.2.66/32");
        assertThat(apiBlock.get("rule").get("note").asText()).isEqualTo("stolen laptop");
    }

    @Test
    @Order(7)
    void emptyingTheRulesOpensTheFirewallAgain() {
        assertThat(from(OFFICE_ADMIN, "PUT", "/api/v1/security/firewall", "{\"rules\":[]}", admin).status()).isEqualTo(200);
        assertThat(from(ELSEWHERE, "GET", "/api/v1/workspaces", null, alice).status()).isEqualTo(200);
    }

    /**
     * The embedded identity provider is a servlet context in the portal's JVM. Spring Security's
     * servlet configuration would hook every Reactor chain of the JVM, the portal's too, to carry a
     * servlet request's security context along; nothing here needs that, and it cost CPU on every
     * request the portal relays.
     */
    @Test
    void theIdentityProviderLeavesTheReactorChainsOfTheJvmUnwrapped() {
        assertThat(portal.login("alice@example.com", "alice")).as("the identity provider signs in").isNotBlank();
        AtomicReference<Object> reached = new AtomicReference<>();
        Publisher<Integer> source = subscriber -> {
            reached.set(subscriber);
            subscriber.onSubscribe(Operators.emptySubscription());
            subscriber.onComplete();
        };

        Flux.from(source).blockLast(Duration.ofSeconds(5));

        assertThat(reached.get().getClass().getName()).doesNotContain("SecurityReactorContext");
    }

    static JsonNode awaitBlock(Predicate<JsonNode> wanted) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        JsonNode last = null;
        while (Instant.now().isBefore(deadline)) {
            last = from(OFFICE_ADMIN, "GET", "/api/v1/security/firewall/events?limit=100", null, admin).body();
            for (JsonNode item : last.get("items")) {
                if (wanted.test(item)) {
                    return item;
                }
            }
            Api.sleep(200);
        }
        throw new AssertionError("no such refusal listed; last answer " + last);
    }
}
