package dev.rdeportal.query.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.rdeportal.domain.blueprint.BlueprintAcl;
import dev.rdeportal.domain.firewall.FirewallRule;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * {@code GET /api/v1/audit/access?at=T}: who could reach what at {@code at}, as reconstructed from
 * the events recorded up to then (API.md "Access at an instant").
 *
 * @param sequence   the global sequence of the last event recorded at or before {@code at}; null
 *                   when the history had not begun
 * @param unreadable events up to then that could not be read (a tampered or foreign row); each
 *                   one is a hole in the answer, which {@code /api/v1/audit/verify} names
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
record AccessReport(Instant at, Long sequence, long unreadable, List<Member> members, List<Blueprint> blueprints,
                    Firewall firewall, List<Workspace> workspaces, List<Session> sessions, List<Published> published) {

    /** @param since when the member joined; {@code roleSince} when the role was last set */
    record Member(String email, String role, boolean trusted, Instant since, Instant roleSince) {
    }

    record Blueprint(String id, String name, Acl acl, Instant aclSince) {
    }

    record Acl(String mode, List<String> emails, List<String> domains) {

        static Acl of(BlueprintAcl acl) {
            return new Acl(acl.mode().code(), acl.emails(), acl.domains());
        }
    }

    /** @param since when the rules were last replaced; null when they never were */
    record Firewall(List<Rule> rules, Instant since) {
    }

    record Rule(String action, String cidr, String note) {

        static Rule of(FirewallRule rule) {
            return new Rule(rule.action() == null ? null : rule.action().name().toLowerCase(Locale.ROOT), rule.cidr(),
                    rule.note());
        }
    }

    /**
     * @param access   who could open a terminal or a preview, and why
     * @param noAccess why nobody could, when {@code access} is empty
     * @param launch   whether the owner could launch from the workspace's blueprint at that instant
     *                 (the ACL governs launches; a running workspace keeps running after a change)
     */
    record Workspace(String id, String name, String owner, String blueprintId, String status, Instant statusSince,
                     List<Access> access, String noAccess, Launch launch) {
    }

    /** @param via {@code terminal}, and {@code preview} when the workspace has ports */
    record Access(String email, List<String> via, String reason) {
    }

    record Launch(boolean allowed, String reason) {
    }

    /**
     * A terminal connection or preview session open at the instant.
     *
     * @param firewall what the rules in force at the instant say about {@code clientIp}
     */
    record Session(String id, String type, String workspaceId, String user, String clientIp, Instant openedAt,
                   String detail, String firewall) {
    }

    /**
     * An app published from a workspace, running apart from it: reachable by every member at the
     * instant ({@code members}), within the firewall.
     */
    record Published(String requestId, String workspaceId, String workspaceName, int port, String url,
                     Instant publishedAt, String requester, List<String> members, String reason) {
    }
}
