package dev.rdeportal.query.audit;

import dev.rdeportal.domain.blueprint.BlueprintAcl;
import dev.rdeportal.domain.blueprint.BlueprintCreatedEvent;
import dev.rdeportal.domain.blueprint.BlueprintDetails;
import dev.rdeportal.domain.blueprint.BlueprintUpdatedEvent;
import dev.rdeportal.domain.blueprint.Resources;
import dev.rdeportal.domain.connection.PreviewSessionOpenedEvent;
import dev.rdeportal.domain.connection.TerminalSessionClosedEvent;
import dev.rdeportal.domain.connection.TerminalSessionOpenedEvent;
import dev.rdeportal.domain.firewall.FirewallAction;
import dev.rdeportal.domain.firewall.FirewallRule;
import dev.rdeportal.domain.firewall.FirewallRulesReplacedEvent;
import dev.rdeportal.domain.member.MemberChangedEvent;
import dev.rdeportal.domain.member.MemberJoinedEvent;
import dev.rdeportal.domain.member.MemberRemovedEvent;
import dev.rdeportal.domain.member.MemberRole;
import dev.rdeportal.domain.workspace.WorkspaceLaunchedEvent;
import dev.rdeportal.domain.workspace.WorkspaceRunningEvent;
import dev.rdeportal.domain.workspace.WorkspaceSpec;
import dev.rdeportal.domain.workspace.WorkspaceStopRequestedEvent;
import dev.rdeportal.domain.workspace.WorkspaceStoppedEvent;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A scripted history, one event a minute from {@link #T0}: roles, trust, ACL and firewall changes
 * around a workspace that runs, is used, and stops. Shared by the fold's test and the replay's.
 */
final class AccessHistory {

    static final Instant T0 = Instant.parse("2025-03-01T09:00:00Z");
    static final String ORG = "organization";
    static final String ADMIN = "admin@example.com";
    static final String ALICE = "alice@example.com";

    record Step(int minute, Object event) {
        Instant at() {
            return AccessHistory.at(minute);
        }
    }

    static Instant at(int minute) {
        return T0.plusSeconds(60L * minute);
    }

    private AccessHistory() {
    }

    static BlueprintDetails blueprint(BlueprintAcl acl) {
        return new BlueprintDetails("java", "c1", "eclipse-temurin:21", new Resources(500, 512, 1), List.of(3000),
                Map.of(), null, List.of(), null, acl);
    }

    static FirewallRule allow(String cidr) {
        return new FirewallRule(FirewallAction.ALLOW, cidr, null);
    }

    static FirewallRule deny(String cidr) {
        return new FirewallRule(FirewallAction.DENY, cidr, null);
    }

    static final List<Step> SCRIPT = List.of(
            new Step(1, new MemberJoinedEvent(ORG, ADMIN, MemberRole.ADMIN, true, null, "bootstrap")),
            new Step(2, new MemberJoinedEvent(ORG, ALICE, MemberRole.USER, false, null, "invitation")),
            new Step(3, new BlueprintCreatedEvent("bp-1", blueprint(BlueprintAcl.OPEN), ADMIN)),
            new Step(4, new FirewallRulesReplacedEvent("firewall", List.of(allow("10.0.0.0/8")))),
            new Step(5, new WorkspaceLaunchedEvent("ws-1", ALICE, "alices", "bp-1", "c1",
                    new WorkspaceSpec("eclipse-temurin:21", 500, 512, 1, List.of(3000), Map.of(), null), "op-1")),
            new Step(6, new WorkspaceRunningEvent("ws-1", "op-1", Map.of(3000, 41000))),
            new Step(7, new TerminalSessionOpenedEvent("ws-1", "conn-1", "term-1", ALICE, "10.0.0.5", "", false,
                    at(7))),
            new Step(8, new BlueprintUpdatedEvent("bp-1", blueprint(new BlueprintAcl(BlueprintAcl.Mode.RESTRICTED,
                    List.of("bob@other.org"), List.of())), ADMIN)),
            new Step(9, new MemberChangedEvent(ORG, ALICE, MemberRole.USER, true, null)),
            new Step(10, new FirewallRulesReplacedEvent("firewall", List.of(allow("10.0.0.0/8"), deny("10.0.0.0/24")))),
            new Step(11, new MemberChangedEvent(ORG, ALICE, MemberRole.ADMIN, true, null)),
            new Step(12, new TerminalSessionClosedEvent("ws-1", "conn-1", "term-1", ALICE, "10.0.0.5", at(7), at(12),
                    null, "client closed", 10L, 20L)),
            new Step(13, new PreviewSessionOpenedEvent("pv-1", "ws-1", 3000, ALICE, "10.1.2.3", at(13), at(73))),
            new Step(14, new MemberChangedEvent(ORG, ALICE, MemberRole.USER, false, null)),
            new Step(15, new BlueprintUpdatedEvent("bp-1", blueprint(new BlueprintAcl(BlueprintAcl.Mode.RESTRICTED,
                    List.of("bob@other.org"), List.of("example.com"))), ADMIN)),
            new Step(16, new WorkspaceStopRequestedEvent("ws-1", ALICE, "op-2", null)),
            new Step(17, new WorkspaceStoppedEvent("ws-1", "op-2")),
            new Step(18, new WorkspaceRunningEvent("ws-1", "op-3", Map.of(3000, 41001))),
            new Step(19, new FirewallRulesReplacedEvent("firewall", List.of(deny("0.0.0.0/0"), deny("::/0")))),
            new Step(20, new FirewallRulesReplacedEvent("firewall", List.of())),
            new Step(21, new MemberRemovedEvent(ORG, ALICE)));
}
