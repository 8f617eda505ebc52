package dev.rdeportal.query.firewall;

import static dev.rdeportal.query.support.TestCallers.ADMIN_HEADER;
import static dev.rdeportal.query.support.TestCallers.USER_HEADER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rdeportal.domain.firewall.FindFirewallRulesQuery;
import dev.rdeportal.domain.firewall.FirewallAction;
import dev.rdeportal.domain.firewall.FirewallBlockedEvent;
import dev.rdeportal.domain.firewall.FirewallRule;
import dev.rdeportal.domain.firewall.FirewallRuleSet;
import dev.rdeportal.domain.firewall.FirewallRulesReplacedEvent;
import dev.rdeportal.query.support.ReadModelDatabase;
import dev.rdeportal.query.support.TestCallers;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.queryhandling.SimpleQueryUpdateEmitter;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The firewall read model from event to JSON: projection, query handler and endpoints. */
@SuppressWarnings("unchecked")
class FirewallTest {

    private static final Instant T0 = Instant.parse("2025-03-01T09:00:00Z");
    private static final List<FirewallRule> RULES = List.of(
            new FirewallRule(FirewallAction.DENY, "192.0.2.66/32", "stolen laptop"),
            new FirewallRule(FirewallAction.ALLOW, "192.0.2.0/24", "office"),
            new FirewallRule(FirewallAction.ALLOW, "2001:db8::/32", null));

    private final ReadModelDatabase db = ReadModelDatabase.create();
    private final FirewallProjection projection = new FirewallProjection(db.jdbc(), SimpleQueryUpdateEmitter.builder().build());
    private final FirewallReadRepository repository = new FirewallReadRepository(db.r2dbc());
    private final FirewallQueryHandler handler = new FirewallQueryHandler(repository);
    private final WebTestClient client = WebTestClient.bindToController(new FirewallQueryController(repository))
            .controllerAdvice(new TestCallers.DomainErrors())
            .webFilter(TestCallers.principalFromHeaders())
            .build();

    @Test
    void theRulesInForceAreTheLastReplacementInTheAdminsOrder() throws Exception {
        projection.on(new FirewallRulesReplacedEvent("firewall", List.of(RULES.get(0))));
        projection.on(new FirewallRulesReplacedEvent("firewall", RULES));
        projection.on(new FirewallRulesReplacedEvent("firewall", RULES));
        assertThat(handler.handle(new FindFirewallRulesQuery()).get(5, TimeUnit.SECONDS)).isEqualTo(new FirewallRuleSet(RULES));

        client.get().uri("/api/v1/security/firewall").header(USER_HEADER, "admin@example.com").header(ADMIN_HEADER, "true")
                .exchange().expectStatus().isOk()
                .expectBody()
                .jsonPath("$.rules.length()").isEqualTo(3)
                .jsonPath("$.rules[0].action").isEqualTo("deny")
                .jsonPath("$.rules[0].cidr").isEqualTo("192.0.2.66/32")
                .jsonPath("$.rules[0].note").isEqualTo("stolen laptop")
                .jsonPath("$.rules[2].cidr").isEqualTo("2001:db8::/32");

        projection.on(new FirewallRulesReplacedEvent("firewall", List.of()));
        assertThat(handler.handle(new FindFirewallRulesQuery()).get(5, TimeUnit.SECONDS).rules()).isEmpty();
    }

    @Test
    void blocksAreListedNewestFirstInPagesAndOnlyOnce() {
        for (int i = 0; i < 3; i++) {
            FirewallBlockedEvent blocked = new FirewallBlockedEvent(i == 0 ? "alice@example.com" : null, "198.51.100." + i,
                    "terminal:ws-" + i, i == 2 ? null : RULES.get(0), "reason " + i);
            GenericEventMessage<FirewallBlockedEvent> message = new GenericEventMessage<>(blocked);
            projection.on(blocked, message, T0.plusSeconds(i));
            projection.on(blocked, message, T0.plusSeconds(i));
        }
        Map<?, ?> first = page(null);
        List<?> items = (List<?>) first.get("items");
        assertThat(items).hasSize(2);
        assertThat((Map<String, Object>) items.get(0)).containsEntry("clientIp", "198.51.100.2").containsEntry("rule", null)
                .containsEntry("target", "terminal:ws-2");
        Map<?, ?> second = page((String) first.get("next"));
        List<?> rest = (List<?>) second.get("items");
        assertThat(rest).hasSize(1);
        assertThat((Map<String, Object>) rest.get(0)).containsEntry("user", "alice@example.com")
                .containsEntry("at", "2025-03-01T09:00:00Z");
        assertThat((Map<String, Object>) ((Map<?, ?>) rest.get(0)).get("rule")).containsEntry("action", "deny");
        assertThat(second.get("next")).isNull();
    }

    @Test
    void onlyAdminsReadTheFirewall() {
        client.get().uri("/api/v1/security/firewall").header(USER_HEADER, "alice@example.com")
                .exchange().expectStatus().isForbidden().expectBody().jsonPath("$.code").isEqualTo("forbidden");
        client.get().uri("/api/v1/security/firewall/events").header(USER_HEADER, "alice@example.com")
                .exchange().expectStatus().isForbidden();
        client.get().uri("/api/v1/security/firewall/events?cursor=abc").header(USER_HEADER, "admin@example.com")
                .header(ADMIN_HEADER, "true")
                .exchange().expectStatus().isBadRequest().expectBody().jsonPath("$.code").isEqualTo("validation-failed");
    }

    private Map<?, ?> page(String cursor) {
        return client.get().uri("/api/v1/security/firewall/events?limit=2" + (cursor == null ? "" : "&cursor=" + cursor))
                .header(USER_HEADER, "admin@example.com").header(ADMIN_HEADER, "true")
                .exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
    }
}
