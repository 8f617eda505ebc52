package dev.rdeportal.query.audit;

import static dev.rdeportal.query.audit.AccessHistory.ADMIN;
import static dev.rdeportal.query.audit.AccessHistory.ALICE;
import static dev.rdeportal.query.audit.AccessHistory.SCRIPT;
import static dev.rdeportal.query.audit.AccessHistory.at;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rdeportal.domain.workspace.WorkspaceDeletedEvent;
import dev.rdeportal.domain.workspace.WorkspaceLaunchedEvent;
import dev.rdeportal.domain.workspace.WorkspaceRunningEvent;
import dev.rdeportal.domain.workspace.WorkspaceSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The fold over a scripted history, asked at one instant after another. */
class AccessStateTest {

    /** The state after the script's events recorded at or before {@code minute}. */
    static AccessReport atMinute(int minute, String workspace) {
        AccessState state = new AccessState();
        Instant t = at(minute);
        long applied = 0;
        for (AccessHistory.Step step : SCRIPT) {
            if (!step.at().isAfter(t)) {
                state.apply(step.event(), step.at());
                applied++;
            }
        }
        return state.answer(t, applied == 0 ? null : applied, 0, workspace);
    }

    static AccessReport atMinute(int minute) {
        return atMinute(minute, null);
    }

    static AccessReport.Workspace ws1(AccessReport report) {
        return report.workspaces().stream().filter(w -> w.id().equals("ws-1")).findFirst().orElseThrow();
    }

    static AccessReport.Member member(AccessReport report, String email) {
        return report.members().stream().filter(m -> m.email().equals(email)).findFirst().orElse(null);
    }

    @Test
    void beforeTheFirstEventNothingExists() {
        AccessReport r = atMinute(0);

        assertThat(r.sequence()).isNull();
        assertThat(r.members()).isEmpty();
        assertThat(r.workspaces()).isEmpty();
        assertThat(r.firewall().rules()).isEmpty();
    }

    @Test
    void whileProvisioningNobodyCanConnect() {
        AccessReport.Workspace w = ws1(atMinute(5));

        assertThat(w.status()).isEqualTo("PROVISIONING");
        assertThat(w.access()).isEmpty();
        assertThat(w.noAccess()).contains("PROVISIONING").contains("need it RUNNING");
    }

    @Test
    void aRunningWorkspaceIsOpenToItsOwnerOnlyWithinTheFirewall() {
        AccessReport r = atMinute(6);
        AccessReport.Workspace w = ws1(r);

        assertThat(member(r, ALICE)).extracting(AccessReport.Member::role, AccessReport.Member::trusted)
                .containsExactly("user", false);
        assertThat(w.status()).isEqualTo("RUNNING");
        assertThat(w.access()).hasSize(1);
        AccessReport.Access access = w.access().get(0);
        assertThat(access.email()).as("the admin gets no terminal on alice's workspace").isEqualTo(ALICE);
        assertThat(access.via()).containsExactly("terminal", "preview");
        assertThat(access.reason()).contains("owner of the workspace")
                .contains("member since " + at(2)).contains("role user since " + at(2))
                .contains("RUNNING since " + at(6))
                .contains("firewall: allowed only from 10.0.0.0/8 allow (rules since " + at(4) + ")");
        assertThat(w.launch().allowed()).isTrue();
        assertThat(w.launch().reason()).contains("ACL is open");
    }

    @Test
    void anOpenSessionIsShownWithWhatTheFirewallSaysOfItsAddress() {
        AccessReport r = atMinute(7);

        assertThat(r.sessions()).singleElement().satisfies(s -> {
            assertThat(s.id()).isEqualTo("conn-1");
            assertThat(s.type()).isEqualTo("terminal");
            assertThat(s.user()).isEqualTo(ALICE);
            assertThat(s.clientIp()).isEqualTo("10.0.0.5");
            assertThat(s.firewall()).isEqualTo("allowed by the rules");
        });
    }

    @Test
    void anAclChangeStopsLaunchesButNotTheRunningWorkspace() {
        AccessReport.Workspace w = ws1(atMinute(8));

        assertThat(w.access()).extracting(AccessReport.Access::email).containsExactly(ALICE);
        assertThat(w.launch().allowed()).isFalse();
        assertThat(w.launch().reason()).contains("restricted").contains("ACL since " + at(8));
        assertThat(atMinute(8).blueprints()).singleElement()
                .satisfies(b -> assertThat(b.acl().emails()).containsExactly("bob@other.org"));
    }

    @Test
    void trustIsGrantedThenRevoked() {
        assertThat(member(atMinute(8), ALICE).trusted()).isFalse();
        assertThat(member(atMinute(9), ALICE).trusted()).isTrue();
        assertThat(member(atMinute(13), ALICE).trusted()).isTrue();
        assertThat(member(atMinute(14), ALICE).trusted()).isFalse();
        assertThat(member(atMinute(9), ALICE).roleSince()).as("trust is not a role change").isEqualTo(at(2));
    }

    @Test
    void aNewDenyRuleIsNamedForTheOwnerAndForTheSessionItCovers() {
        AccessReport r = atMinute(10);

        assertThat(ws1(r).access().get(0).reason())
                .contains("allowed only from 10.0.0.0/8 allow, except from 10.0.0.0/24 deny (rules since " + at(10));
        assertThat(r.sessions()).singleElement()
                .satisfies(s -> assertThat(s.firewall()).isEqualTo("denied by rule 10.0.0.0/24"));
    }

    @Test
    void asAdminTheOwnerMayLaunchDespiteTheAcl() {
        AccessReport r = atMinute(11);

        assertThat(member(r, ALICE).role()).isEqualTo("admin");
        assertThat(member(r, ALICE).roleSince()).isEqualTo(at(11));
        assertThat(ws1(r).launch().allowed()).isTrue();
        assertThat(ws1(r).launch().reason()).contains("admins may launch any blueprint");
        assertThat(atMinute(14).workspaces().get(0).launch().allowed()).as("role back to user").isFalse();
    }

    @Test
    void sessionsOpenAndClose() {
        assertThat(atMinute(12).sessions()).isEmpty();
        assertThat(atMinute(13).sessions()).singleElement().satisfies(s -> {
            assertThat(s.type()).isEqualTo("preview");
            assertThat(s.detail()).isEqualTo("port 3000");
        });
    }

    @Test
    void aListedDomainAllowsLaunchesAgain() {
        AccessReport.Workspace w = ws1(atMinute(15));

        assertThat(w.launch().allowed()).isTrue();
        assertThat(w.launch().reason()).contains("domain example.com is listed");
    }

    @Test
    void stoppingEndsAccessAndStoppedEndsTheSessions() {
        AccessReport stopping = atMinute(16);
        assertThat(ws1(stopping).status()).isEqualTo("STOPPING");
        assertThat(ws1(stopping).access()).isEmpty();
        assertThat(stopping.sessions()).hasSize(1);

        AccessReport stopped = atMinute(17);
        assertThat(ws1(stopped).status()).isEqualTo("STOPPED");
        assertThat(stopped.sessions()).as("sessions end with the workspace").isEmpty();

        assertThat(ws1(atMinute(18)).access()).extracting(AccessReport.Access::email).containsExactly(ALICE);
    }

    @Test
    void aFirewallThatDeniesEveryAddressLeavesNobody() {
        AccessReport.Workspace w = ws1(atMinute(19));

        assertThat(w.access()).isEmpty();
        assertThat(w.noAccess()).contains("denies every address");
        assertThat(ws1(atMinute(20)).access().get(0).reason()).contains("firewall: no rules since " + at(20));
    }

    @Test
    void aRemovedOwnerHasNoAccess() {
        AccessReport r = atMinute(21);

        assertThat(r.members()).extracting(AccessReport.Member::email).containsExactly(ADMIN);
        assertThat(ws1(r).access()).isEmpty();
        assertThat(ws1(r).noAccess()).contains("not a member");
        assertThat(ws1(r).launch().allowed()).isFalse();
    }

    @Test
    void oneWorkspaceCanBeAskedAboutAndDeletedOnesAreForgotten() {
        AccessState state = new AccessState();
        SCRIPT.stream().filter(s -> s.minute() <= 13).forEach(s -> state.apply(s.event(), s.at()));
        state.apply(new WorkspaceLaunchedEvent("ws-2", ADMIN, "admins", "bp-1", "c1",
                new WorkspaceSpec("img", 500, 512, 1, List.of(), Map.of(), null), "op-9"), at(14));
        state.apply(new WorkspaceRunningEvent("ws-2", "op-9", Map.of()), at(15));

        AccessReport only = state.answer(at(15), 15L, 0, "ws-2");
        assertThat(only.workspaces()).singleElement().satisfies(w -> {
            assertThat(w.access()).extracting(AccessReport.Access::email).containsExactly(ADMIN);
            assertThat(w.access().get(0).via()).as("no ports, no preview").containsExactly("terminal");
        });
        assertThat(only.sessions()).as("pv-1 is on ws-1").isEmpty();

        state.apply(new WorkspaceDeletedEvent("ws-1", "op-10"), at(16));
        AccessReport all = state.answer(at(16), 16L, 0, null);
        assertThat(all.workspaces()).extracting(AccessReport.Workspace::id).containsExactly("ws-2");
        assertThat(all.sessions()).isEmpty();
    }

    @Test
    void aPublishedAppIsOpenToEveryMemberAndOutlivesItsWorkspace() {
        AccessState state = new AccessState();
        SCRIPT.stream().filter(s -> s.minute() <= 13).forEach(s -> state.apply(s.event(), s.at()));
        state.apply(new dev.rdeportal.domain.publish.PublishRequestedEvent("pr-1", "ws-1", "alices", "c1", "bp-1",
                "alice@example.com", 8000, "demo", "serve", "alices-1", at(14)), at(14));
        state.apply(new dev.rdeportal.domain.publish.PublishRequestedEvent("pr-2", "ws-1", "alices", "c1", "bp-1",
                "alice@example.com", 8000, "again", "serve", "alices-2", at(14)), at(14));
        assertThat(state.answer(at(14), 14L, 0, null).published()).as("requested is not published").isEmpty();

        state.apply(new dev.rdeportal.domain.publish.PublishRequestPublishedEvent("pr-1", "op-p",
                "http://alices-1--pub.preview.localhost"), at(15));
        state.apply(new dev.rdeportal.domain.publish.PublishRequestRejectedEvent("pr-2", ADMIN, "no", at(15)), at(15));
        state.apply(new WorkspaceDeletedEvent("ws-1", "op-10"), at(16));

        AccessReport r = state.answer(at(16), 16L, 0, null);
        assertThat(r.published()).singleElement().satisfies(p -> {
            assertThat(p.requestId()).isEqualTo("pr-1");
            assertThat(p.url()).isEqualTo("http://alices-1--pub.preview.localhost");
            assertThat(p.publishedAt()).isEqualTo(at(15));
            assertThat(p.members()).containsExactlyElementsOf(r.members().stream().map(AccessReport.Member::email).toList());
            assertThat(p.reason()).contains("any member").contains("firewall");
        });
        assertThat(state.answer(at(16), 16L, 0, "ws-other").published()).isEmpty();

        state.apply(new dev.rdeportal.domain.publish.PublishRequestUnpublishingEvent("pr-1", "alice@example.com", at(17),
                "op-u", "c1", "ws-1", "alices-1"), at(17));
        assertThat(state.answer(at(17), 17L, 0, null).published()).as("listed until the agent confirms it gone")
                .hasSize(1);
        state.apply(new dev.rdeportal.domain.publish.PublishRequestUnpublishedEvent("pr-1", "op-u"), at(18));
        assertThat(state.answer(at(18), 18L, 0, null).published()).isEmpty();
    }

    @Test
    void eventsOfOtherTypesAreNotEvenRead() {
        AccessState state = new AccessState();

        assertThat(state.handles(WorkspaceRunningEvent.class.getName())).isTrue();
        assertThat(state.handles("dev.rdeportal.domain.cluster.ClusterRegisteredEvent")).isFalse();
    }
}
