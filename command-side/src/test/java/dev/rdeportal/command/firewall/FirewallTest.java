package dev.rdeportal.command.firewall;

import static dev.rdeportal.domain.firewall.ReplaceFirewallRulesCommand.FIREWALL_ID;

import dev.rdeportal.domain.firewall.FirewallAction;
import dev.rdeportal.domain.firewall.FirewallRule;
import dev.rdeportal.domain.firewall.FirewallRulesReplacedEvent;
import dev.rdeportal.domain.firewall.ReplaceFirewallRulesCommand;
import java.util.List;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FirewallTest {

    static final List<FirewallRule> OFFICE = List.of(new FirewallRule(FirewallAction.ALLOW, "192.0.2.0/24", "office"));

    AggregateTestFixture<Firewall> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Firewall.class);
    }

    @Test
    void theFirstChangeCreatesTheFirewall() {
        fixture.givenNoPriorActivity()
                .when(new ReplaceFirewallRulesCommand(FIREWALL_ID, OFFICE))
                .expectSuccessfulHandlerExecution()
                .expectEvents(new FirewallRulesReplacedEvent(FIREWALL_ID, OFFICE));
    }

    @Test
    void aChangeReplacesTheWholeRuleSet() {
        fixture.given(new FirewallRulesReplacedEvent(FIREWALL_ID, OFFICE))
                .when(new ReplaceFirewallRulesCommand(FIREWALL_ID, List.of()))
                .expectEvents(new FirewallRulesReplacedEvent(FIREWALL_ID, List.of()));
    }

    @Test
    void savingTheRulesInForceRecordsNothing() {
        fixture.given(new FirewallRulesReplacedEvent(FIREWALL_ID, OFFICE))
                .when(new ReplaceFirewallRulesCommand(FIREWALL_ID, List.of(
                        new FirewallRule(FirewallAction.ALLOW, "192.0.2.0/24", " office "))))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }
}
