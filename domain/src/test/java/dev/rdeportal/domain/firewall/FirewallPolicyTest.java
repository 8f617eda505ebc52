package dev.rdeportal.domain.firewall;

import static dev.rdeportal.domain.firewall.FirewallAction.ALLOW;
import static dev.rdeportal.domain.firewall.FirewallAction.DENY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rdeportal.domain.DomainException;
import java.util.List;
import org.junit.jupiter.api.Test;

class FirewallPolicyTest {

    static FirewallRule rule(FirewallAction action, String cidr) {
        return new FirewallRule(action, cidr, null);
    }

    @Test
    void noRulesAllowEveryAddress() {
        assertThat(FirewallPolicy.of(List.of()).check("203.0.113.9")).isEmpty();
        assertThat(FirewallPolicy.of(List.of()).check("unknown")).isEmpty();
    }

    @Test
    void denyRulesAloneBlockOnlyWhatTheyMatch() {
        FirewallPolicy policy = FirewallPolicy.of(List.of(rule(DENY, "203.0.113.0/24")));
        assertThat(policy.check("203.0.113.9")).hasValueSatisfying(b -> assertThat(b.rule().cidr()).isEqualTo("203.0.113.0/24"));
        assertThat(policy.check("198.51.100.1")).isEmpty();
        assertThat(policy.check("2001:db8::1")).isEmpty();
    }

    @Test
    void oneAllowRuleMakesAnAllowList() {
        FirewallPolicy policy = FirewallPolicy.of(List.of(rule(ALLOW, "10.0.0.0/8")));
        assertThat(policy.check("10.1.2.3")).isEmpty();
        assertThat(policy.check("198.51.100.1")).hasValueSatisfying(b -> {
            assertThat(b.rule()).isNull();
            assertThat(b.reason()).contains("no allow rule");
        });
        assertThat(policy.check("2001:db8::1")).isPresent();
    }

    @Test
    void theMostSpecificRuleWinsWhateverTheOrder() {
        FirewallPolicy policy = FirewallPolicy.of(List.of(rule(DENY, "10.1.0.0/16"), rule(ALLOW, "10.0.0.0/8"),
                rule(ALLOW, "10.1.2.0/24")));
        assertThat(policy.check("10.9.9.9")).isEmpty();
        assertThat(policy.check("10.1.9.9")).isPresent();
        assertThat(policy.check("10.1.2.9")).isEmpty();
    }

    @Test
    void denyWinsOnAnEqualPrefix() {
        FirewallPolicy policy = FirewallPolicy.of(List.of(rule(ALLOW, "0.0.0.0/0"), rule(DENY, "::/0"),
                rule(ALLOW, "::/0")));
        assertThat(policy.check("2001:db8::1")).isPresent();
        assertThat(policy.check("198.51.100.1")).isEmpty();
    }

    @Test
    void anUnknownAddressIsRefusedOnceThereAreRules() {
        assertThat(FirewallPolicy.of(List.of(rule(DENY, "203.0.113.0/24"))).check("unknown")).isPresent();
    }

    @Test
    void theCommandCanonicalisesAndExplains() {
        var command = new ReplaceFirewallRulesCommand(ReplaceFirewallRulesCommand.FIREWALL_ID,
                List.of(new FirewallRule(ALLOW, " 2001:DB8::/32 ", "  office  ")));
        assertThat(command.rules()).containsExactly(new FirewallRule(ALLOW, "2001:db8::/32", "office"));
        assertThatThrownBy(() -> new ReplaceFirewallRulesCommand(ReplaceFirewallRulesCommand.FIREWALL_ID,
                List.of(rule(ALLOW, "10.0.0.0/8"), rule(DENY, "10.0.0.0/8"))))
                .isInstanceOf(DomainException.class).hasMessageContaining("rules[1].cidr: 10.0.0.0/8 appears more than once");
        assertThatThrownBy(() -> new ReplaceFirewallRulesCommand(ReplaceFirewallRulesCommand.FIREWALL_ID,
                List.of(rule(ALLOW, "office"))))
                .isInstanceOf(DomainException.class).hasMessageContaining("rules[0].cidr: 'office' is not an IPv4 or IPv6 address");
        assertThatThrownBy(() -> new ReplaceFirewallRulesCommand(ReplaceFirewallRulesCommand.FIREWALL_ID,
                List.of(rule(null, "10.0.0.0/8"))))
                .isInstanceOf(DomainException.class).hasMessageContaining("rules[0].action");
    }
}
