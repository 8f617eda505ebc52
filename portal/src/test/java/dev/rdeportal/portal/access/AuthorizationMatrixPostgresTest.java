package dev.rdeportal.portal.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rdeportal.portal.support.Api;
import dev.rdeportal.portal.support.PortalHarness;
import dev.rdeportal.portal.support.PreviewClient;
import dev.rdeportal.portal.support.TerminalClient;
import dev.rdeportal.portal.support.TestDatabase;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ApplicationContext;
import org.springframework.web.reactive.handler.AbstractUrlHandlerMapping;
import org.springframework.web.reactive.result.method.RequestMappingInfo;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.pattern.PathPattern;

/**
 * Who may call what, for every endpoint the running portal serves. The routes come from the
 * application's own handler mappings, so a new endpoint is crossed with every identity the moment
 * it exists; one that no {@link #RULES rule} classifies fails the test until someone decides who
 * may call it. Identities: anonymous, an authenticated non-member, the owner of the workspace, another
 * user, and an admin. Unknown and not-yours both answer 404; admin-only answers 403 to users.
 * The terminal WebSocket and the preview origins, whose credentials are tickets and cookies rather
 * than bearer tokens, get their own rows.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuthorizationMatrixPostgresTest {

    static final Duration TIMEOUT = Duration.ofSeconds(120);
    static final ObjectMapper JSON = new ObjectMapper();

    /** Who may call a route. */
    enum Access {
        /** Anyone, no token. */
        PUBLIC,
        /** Any member. */
        MEMBER,
        /** Any member, on something named by id: an unknown id answers 404. */
        MEMBER_LOOKUP,
        /** The workspace's owner only; to everyone else the workspace does not exist. */
        OWNER,
        /** The owner, and admins reading. */
        OWNER_OR_ADMIN_READ,
        /** Admins only. */
        ADMIN,
        /** A one-time ticket, not a bearer token (the terminal WebSocket): own rows below. */
        TICKET
    }

    record Rule(Pattern method, Pattern path, Access access) {
    }

    private static Rule rule(String methods, String path, Access access) {
        return new Rule(Pattern.compile(methods), Pattern.compile(path), access);
    }

    /** First match wins. A route none of these match fails the test: decide, then add a rule. */
    static final List<Rule> RULES = List.of(
            rule("GET", "/api/v1/auth/config", Access.PUBLIC),
            rule("GET", "/api/v1/branding", Access.PUBLIC),
            rule("GET|PUT", "/api/v1/settings", Access.ADMIN),
            rule("GET", "/api/v1/workspaces/(\\{id}|\\*)/terminal", Access.TICKET),
            rule("GET", "/api/v1/workspaces/\\{id}", Access.OWNER_OR_ADMIN_READ),
            rule(".*", "/api/v1/workspaces/\\{id}/.*", Access.OWNER),
            rule("POST|DELETE", "/api/v1/workspaces/\\{id}", Access.OWNER),
            // The requester takes their app down; to other members a request is unknown (the aggregate decides).
            rule("POST", "/api/v1/publish-requests/\\{id}/unpublish", Access.MEMBER_LOOKUP),
            rule(".*", "/api/v1/(members|clusters|audit|admin|security|publish-requests)(/.*)?", Access.ADMIN),
            rule("POST", "/api/v1/published/\\{requestId}/tickets", Access.MEMBER_LOOKUP),
            rule("POST|PUT|DELETE", "/api/v1/blueprints(/.*)?", Access.ADMIN),
            rule("GET", "/api/v1/(me|blueprints|blueprints/\\{id}|workspaces|workspaces/events)", Access.MEMBER),
            rule("POST", "/api/v1/workspaces", Access.MEMBER));

    record Route(String method, String pattern, Access access) {
    }

    record Identity(String name, String token) {
    }

    @TempDir
    static Path dataDir;
    static PortalHarness portal;
    static Api api;
    static String admin;
    static String alice;
    static String bob;
    static String carol;
    static String aliceWorkspace;
    static String bobWorkspace;
    static String origin;
    /** Alice's detached terminal session, for the routes that name one. */
    static String aliceSession = "no-such-session";
    static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() {
        // carol can sign in but is no member: alice and bob are bootstrap members, nobody auto-joins.
        List<String> users = List.of("admin@example.com:admin", "alice@example.com:alice", "bob@example.com:bob",
                "carol@example.com:carol");
        List<String> args = new ArrayList<>(List.of("--rde.security.members=alice@example.com,bob@example.com",
                "--rde.security.auto-join-domains="));
        for (int i = 0; i < users.size(); i++) {
            String[] user = users.get(i).split(":");
            args.add("--rde.identity.users[" + i + "].email=" + user[0]);
            args.add("--rde.identity.users[" + i + "].password=" + user[1]);
            args.add("--rde.identity.users[" + i + "].name=" + user[1]);
        }
        portal = PortalHarness.start(TestDatabase.create(), dataDir, true, args.toArray(String[]::new));
        api = portal.api();
        origin = portal.baseUrl();
        admin = portal.login("admin@example.com", "admin");
        alice = portal.login("alice@example.com", "alice");
        bob = portal.login("bob@example.com", "bob");
        carol = portal.login("carol@example.com", "carol");
        aliceWorkspace = launch(alice, "alices");
        bobWorkspace = launch(bob, "bobs");
        api.awaitWorkspace(aliceWorkspace, alice, "RUNNING"::equals, TIMEOUT);
        api.awaitWorkspace(bobWorkspace, bob, "RUNNING"::equals, TIMEOUT);
    }

    @AfterAll
    static void stop() {
        if (portal != null) {
            portal.close();
        }
    }

    static String launch(String token, String name) {
        Api.Response r = api.post("/api/v1/workspaces", "{\"blueprintId\":\"bp-sample\",\"name\":\"" + name + "\"}", token);
        assertThat(r.status()).as("launch answer %s", r.body()).isEqualTo(202);
        return r.body().get("id").asText();
    }

    @Test
    @Order(1)
    void theTerminalWebSocketOpensOnlyWithTheOwnersOwnTicket() throws Exception {
        // Nobody else gets a ticket for alice's workspace (the OWNER rows of the matrix); here the
        // tickets that do exist: none, a forged one, bob's own (for his workspace) at alice's.
        String bobsTicket = api.post("/api/v1/workspaces/" + bobWorkspace + "/terminal-tickets", null, bob)
                .body().get("ticket").asText();
        for (String refused : new String[] {null, "A".repeat(43), bobsTicket}) {
            try (TerminalClient client = TerminalClient.connect(portal.baseUrl(), aliceWorkspace, origin, null)) {
                if (refused == null) {
                    client.sendText("{\"type\":\"resize\",\"cols\":80,\"rows\":24}");
                } else {
                    client.auth(refused, null);
                }
                assertThat(client.await("exit", TIMEOUT).get("reason").asText()).isEqualTo("ticket refused");
                assertThat(client.awaitClosed(TIMEOUT)).isEqualTo(1008);
            }
        }
        String alicesTicket = api.post("/api/v1/workspaces/" + aliceWorkspace + "/terminal-tickets", null, alice)
                .body().get("ticket").asText();
        try (TerminalClient client = TerminalClient.connect(portal.baseUrl(), aliceWorkspace, origin, null)) {
            aliceSession = client.auth(alicesTicket, null).await("ready", TIMEOUT).get("session").asText();
        }
    }

    @Test
    @Order(2)
    void previewOriginsServeOnlyTheOwnersCookie() {
        int port = URI.create(portal.baseUrl()).getPort();
        PreviewClient browser = new PreviewClient(port);
        String alicesHost = "p8000--" + aliceWorkspace + ".preview.localhost:" + port;
        // No cookie: sent to sign in through the portal.
        assertThat(browser.get(alicesHost, "/", Map.of("Accept", "application/json")).status()).isEqualTo(401);
        // Bob's own session cookie, on alice's preview origin: as if it did not exist.
        String bobsCookie = redeem(browser, bob, bobWorkspace);
        assertThat(browser.get(alicesHost, "/", Map.of("Cookie", "rde_preview=" + bobsCookie)).status()).isEqualTo(404);
        // A forged cookie.
        assertThat(browser.get(alicesHost, "/", Map.of("Cookie", "rde_preview=" + "B".repeat(43))).status())
                .isEqualTo(401);
        // Alice's own: through to her workspace (whatever the app answers, it is not a refusal).
        String alicesCookie = redeem(browser, alice, aliceWorkspace);
        int status = browser.get(alicesHost, "/", Map.of("Cookie", "rde_preview=" + alicesCookie)).status();
        assertThat(status).isNotIn(401, 403, 404);
    }

    private static String redeem(PreviewClient browser, String token, String workspace) {
        Api.Response ticket = api.post("/api/v1/workspaces/" + workspace + "/preview-tickets", "{\"port\":8000}", token);
        assertThat(ticket.status()).as("%s", ticket.body()).isEqualTo(200);
        String[] target = PreviewClient.hostAndTarget(ticket.body().get("url").asText());
        PreviewClient.Response redeemed = browser.get(target[0], target[1], Map.of());
        assertThat(redeemed.status()).isEqualTo(303);
        String cookie = redeemed.headers().get("Set-Cookie");
        return cookie.substring("rde_preview=".length(), cookie.indexOf(';'));
    }

    /** Runs last among the owner's calls: it includes deleting the owner's workspace. */
    @Test
    @Order(10)
    void everyRouteAnswersEachIdentityAsItsRuleSays() throws Exception {
        List<Route> routes = routes(portal.context());
        assertThat(routes).as("routes found").hasSizeGreaterThan(20);
        List<String> unclassified = routes.stream().filter(r -> r.access() == null)
                .map(r -> r.method() + " " + r.pattern()).toList();
        assertThat(unclassified).as("routes no rule classifies: decide who may call them and add a rule").isEmpty();

        Identity anonymous = new Identity("anonymous", null);
        Identity nonMember = new Identity("non-member", carol);
        Identity other = new Identity("other user", bob);
        Identity administrator = new Identity("admin", admin);
        Identity owner = new Identity("owner", alice);
        List<String> failures = new ArrayList<>();
        int calls = 0;
        // The owner goes last, and the owner's DELETE of the workspace last of all.
        for (Identity who : List.of(anonymous, nonMember, other, administrator, owner)) {
            for (Route route : routes) {
                if (route.access() == Access.TICKET) {
                    continue;
                }
                int status = call(route, who.token());
                calls++;
                String verdict = verdict(route.access(), who.name(), status);
                if (verdict != null) {
                    failures.add(route.method() + " " + route.pattern() + " as " + who.name() + ": " + status
                            + ", expected " + verdict);
                }
            }
        }
        System.out.println("authorization matrix: " + routes.size() + " routes, " + calls + " calls");
        assertThat(failures).as("authorization matrix").isEmpty();
    }

    /** Null when {@code status} is what {@code access} means for that identity; else what was expected. */
    static String verdict(Access access, String who, int status) {
        boolean allowed = status < 500 && status != 401 && status != 403 && status != 404;
        if (access == Access.PUBLIC) {
            return status == 200 ? null : "200";
        }
        switch (who) {
            case "anonymous" -> {
                return status == 401 ? null : "401";
            }
            case "non-member" -> {
                return status == 403 ? null : "403 not-a-member";
            }
            case "other user" -> {
                return switch (access) {
                    case OWNER, OWNER_OR_ADMIN_READ -> status == 404 ? null : "404 (not yours)";
                    case ADMIN -> status == 403 ? null : "403";
                    case MEMBER_LOOKUP -> status < 500 && status != 401 && status != 403 ? null : "allowed";
                    default -> allowed ? null : "allowed";
                };
            }
            case "admin" -> {
                return switch (access) {
                    case OWNER -> status == 404 ? null : "404 (admins do not act in others' workspaces)";
                    case OWNER_OR_ADMIN_READ -> status == 200 ? null : "200";
                    case ADMIN, MEMBER_LOOKUP -> status < 500 && status != 401 && status != 403 ? null : "allowed";
                    default -> allowed ? null : "allowed";
                };
            }
            default -> {
                return switch (access) {
                    case ADMIN -> status == 403 ? null : "403";
                    case MEMBER_LOOKUP -> status < 500 && status != 401 && status != 403 ? null : "allowed";
                    default -> allowed ? null : "allowed";
                };
            }
        }
    }

    static int call(Route route, String token) throws Exception {
        String path = concrete(route.pattern());
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(portal.baseUrl() + path))
                .timeout(Duration.ofSeconds(30));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (route.method().equals("POST") || route.method().equals("PUT") || route.method().equals("PATCH")) {
            request.header("Content-Type", "application/json")
                    .method(route.method(), HttpRequest.BodyPublishers.ofString("{}"));
        } else {
            request.method(route.method(), HttpRequest.BodyPublishers.noBody());
        }
        // Headers only: event streams never end.
        HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        int status = response.statusCode();
        if (status >= 400 && status != 405) {
            try (InputStream body = response.body()) {
                JsonNode problem = JSON.readTree(body);
                if (status == 403 && token != null && token.equals(carol)) {
                    assertThat(problem.path("code").asText()).as("%s %s", route.method(), path).isEqualTo("not-a-member");
                }
                assertThat(problem.path("code").asText()).as("problem code of %s %s", route.method(), path).isNotBlank();
            }
        } else {
            response.body().close();
        }
        return status;
    }

    static final Pattern VARIABLE = Pattern.compile("\\{([^}]+)}");

    /** Fills a route's variables: the owner's workspace, the sample blueprint, and unknown names elsewhere. */
    static String concrete(String pattern) {
        Matcher m = VARIABLE.matcher(pattern);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String before = pattern.substring(0, m.start());
            String value = switch (m.group(1)) {
                case "id" -> before.endsWith("/workspaces/") ? aliceWorkspace
                        : before.endsWith("/blueprints/") ? "bp-sample" : "no-such-id";
                case "email" -> "dave@example.com";
                case "session" -> aliceSession;
                default -> "no-such-" + m.group(1);
            };
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Every API route of the running portal, with its rule; the owner's workspace DELETE last. */
    static List<Route> routes(ApplicationContext context) {
        Set<String> found = new TreeSet<>();
        for (RequestMappingHandlerMapping mapping : context.getBeansOfType(RequestMappingHandlerMapping.class).values()) {
            for (RequestMappingInfo info : mapping.getHandlerMethods().keySet()) {
                var methods = info.getMethodsCondition().getMethods();
                for (PathPattern pattern : info.getPatternsCondition().getPatterns()) {
                    if (methods.isEmpty()) {
                        found.add("GET " + pattern.getPatternString());
                    }
                    methods.forEach(m -> found.add(m.name() + " " + pattern.getPatternString()));
                }
            }
        }
        for (AbstractUrlHandlerMapping mapping : context.getBeansOfType(AbstractUrlHandlerMapping.class).values()) {
            mapping.getHandlerMap().keySet().forEach(pattern -> found.add("GET " + pattern.getPatternString()));
        }
        return found.stream()
                .map(s -> s.split(" ", 2))
                .filter(s -> s[1].startsWith("/api/"))
                .map(s -> new Route(s[0], s[1], classify(s[0], s[1])))
                .sorted(Comparator.comparing((Route r) -> r.method().equals("DELETE")
                        && r.pattern().equals("/api/v1/workspaces/{id}")))
                .toList();
    }

    static Access classify(String method, String path) {
        for (Rule rule : RULES) {
            if (rule.method().matcher(method).matches() && rule.path().matcher(path).matches()) {
                return rule.access();
            }
        }
        return null;
    }
}
