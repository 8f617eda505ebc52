package dev.rdeportal.query.audit;

import dev.rdeportal.domain.blueprint.BlueprintAcl;
import dev.rdeportal.domain.blueprint.BlueprintCreatedEvent;
import dev.rdeportal.domain.blueprint.BlueprintDetails;
import dev.rdeportal.domain.blueprint.BlueprintUpdatedEvent;
import dev.rdeportal.domain.connection.PreviewSessionClosedEvent;
import dev.rdeportal.domain.connection.PreviewSessionOpenedEvent;
import dev.rdeportal.domain.connection.TerminalSessionClosedEvent;
import dev.rdeportal.domain.connection.TerminalSessionOpenedEvent;
import dev.rdeportal.domain.firewall.FirewallAction;
import dev.rdeportal.domain.firewall.FirewallPolicy;
import dev.rdeportal.domain.firewall.FirewallRule;
import dev.rdeportal.domain.firewall.FirewallRulesReplacedEvent;
import dev.rdeportal.domain.member.Member;
import dev.rdeportal.domain.member.MemberChangedEvent;
import dev.rdeportal.domain.member.MemberJoinedEvent;
import dev.rdeportal.domain.publish.PublishRequestFailedEvent;
import dev.rdeportal.domain.publish.PublishRequestPublishedEvent;
import dev.rdeportal.domain.publish.PublishRequestRejectedEvent;
import dev.rdeportal.domain.publish.PublishRequestUnpublishedEvent;
import dev.rdeportal.domain.publish.PublishRequestedEvent;
import dev.rdeportal.domain.member.MemberRemovedEvent;
import dev.rdeportal.domain.member.MemberRole;
import dev.rdeportal.domain.workspace.WorkspaceDeleteRequestedEvent;
import dev.rdeportal.domain.workspace.WorkspaceDeletedEvent;
import dev.rdeportal.domain.workspace.WorkspaceFailedEvent;
import dev.rdeportal.domain.workspace.WorkspaceLaunchedEvent;
import dev.rdeportal.domain.workspace.WorkspaceRunningEvent;
import dev.rdeportal.domain.workspace.WorkspaceStartRequestedEvent;
import dev.rdeportal.domain.workspace.WorkspaceStatus;
import dev.rdeportal.domain.workspace.WorkspaceStopRequestedEvent;
import dev.rdeportal.domain.workspace.WorkspaceStoppedEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * Who could reach what, folded from the history one event at a time: members and their roles and
 * trust, blueprint ACLs, the firewall's rules, workspaces that exist and the sessions open on them.
 * It holds the state only, never the events, so a replay of any length needs memory for what
 * exists at the instant asked about: removed members, deleted workspaces and closed sessions are
 * forgotten.
 *
 * <p>Every event type the fold understands is registered in the constructor, in one place; a new
 * kind of event (a trust grant, say) is one more {@code on(...)} line and one handler. Events of
 * other types are not even deserialised ({@link #handles}).
 *
 * <p>The access rules it answers with are the portal's (see {@link #answer}): the portal admits
 * members only; a terminal or preview ticket goes to the workspace's owner, only while the
 * workspace is RUNNING (admins get none for others' workspaces); the firewall then decides by the
 * client's address. Blueprint ACLs decide launches, never access to a workspace already running.
 */
final class AccessState {

    /** A member as of the instant. {@code since}: joined; {@code roleSince}: the role last set. */
    private record MemberState(String email, MemberRole role, boolean trusted, Instant since, Instant roleSince) {
    }

    private record BlueprintState(String id, String name, BlueprintAcl acl, Instant aclSince) {
    }

    private record WorkspaceState(String id, String name, String owner, String blueprintId, List<Integer> ports,
                                  WorkspaceStatus status, Instant statusSince) {

        WorkspaceState to(WorkspaceStatus next, Instant at) {
            return next == status ? this : new WorkspaceState(id, name, owner, blueprintId, ports, next, at);
        }
    }

    private record SessionState(String id, String type, String workspaceId, String user, String clientIp,
                                Instant openedAt, String detail) {
    }

    /** A publish request on its way (its workspace and port), or, with {@code url}, a published app. */
    private record PublishedState(String requestId, String workspaceId, String workspaceName, String requester, int port,
                                  String url, Instant since) {
    }

    private final Map<Class<?>, BiConsumer<Object, Instant>> handlers = new HashMap<>();
    private final Set<String> handledTypes;

    private final Map<String, MemberState> members = new TreeMap<>();
    private final Map<String, BlueprintState> blueprints = new TreeMap<>();
    private final Map<String, WorkspaceState> workspaces = new TreeMap<>();
    /** Open sessions by id (a terminal's connection id, a preview's session id), in opening order. */
    private final Map<String, SessionState> sessions = new LinkedHashMap<>();
    /** Requests not yet published or failed, and published apps (which outlive their workspace). */
    private final Map<String, PublishedState> publishing = new TreeMap<>();
    private List<FirewallRule> firewallRules = List.of();
    private FirewallPolicy firewall = FirewallPolicy.ALLOW_ALL;
    private Instant firewallSince;

    AccessState() {
        on(MemberJoinedEvent.class, (e, at) -> members.put(e.email(),
                new MemberState(e.email(), e.role(), e.trusted(), at, at)));
        on(MemberChangedEvent.class, (e, at) -> members.compute(e.email(), (email, old) -> old == null
                // A change of a member this replay never saw join (a history that starts late).
                ? new MemberState(email, e.role(), e.trusted(), at, at)
                : new MemberState(email, e.role(), e.trusted(), old.since(),
                        old.role() == e.role() ? old.roleSince() : at)));
        on(MemberRemovedEvent.class, (e, at) -> members.remove(e.email()));

        on(BlueprintCreatedEvent.class, (e, at) -> blueprint(e.blueprintId(), e.details(), at));
        on(BlueprintUpdatedEvent.class, (e, at) -> blueprint(e.blueprintId(), e.details(), at));

        on(FirewallRulesReplacedEvent.class, (e, at) -> {
            firewallRules = e.rules() == null ? List.of() : List.copyOf(e.rules());
            firewall = FirewallPolicy.of(firewallRules);
            firewallSince = at;
        });

        on(WorkspaceLaunchedEvent.class, (e, at) -> workspaces.put(e.workspaceId(), new WorkspaceState(e.workspaceId(),
                e.name(), e.owner(), e.blueprintId(), e.spec() == null ? List.of() : e.spec().ports(),
                WorkspaceStatus.PROVISIONING, at)));
        on(WorkspaceRunningEvent.class, (e, at) -> status(e.workspaceId(), WorkspaceStatus.RUNNING, at));
        on(WorkspaceStopRequestedEvent.class, (e, at) -> status(e.workspaceId(), WorkspaceStatus.STOPPING, at));
        on(WorkspaceStartRequestedEvent.class, (e, at) -> status(e.workspaceId(), WorkspaceStatus.PROVISIONING, at));
        on(WorkspaceDeleteRequestedEvent.class, (e, at) -> status(e.workspaceId(), WorkspaceStatus.DELETING, at));
        on(WorkspaceStoppedEvent.class, (e, at) -> status(e.workspaceId(), WorkspaceStatus.STOPPED, at));
        on(WorkspaceFailedEvent.class, (e, at) -> status(e.workspaceId(), WorkspaceStatus.FAILED, at));
        on(WorkspaceDeletedEvent.class, (e, at) -> {
            workspaces.remove(e.workspaceId());
            endSessionsOf(e.workspaceId());
        });

        on(TerminalSessionOpenedEvent.class, (e, at) -> sessions.put(e.connectionId(), new SessionState(
                e.connectionId(), "terminal", e.workspaceId(), e.user(), e.clientIp(),
                e.openedAt() == null ? at : e.openedAt(), "terminal session " + e.sessionId())));
        on(TerminalSessionClosedEvent.class, (e, at) -> sessions.remove(e.connectionId()));
        on(PreviewSessionOpenedEvent.class, (e, at) -> sessions.put(e.sessionId(), new SessionState(
                e.sessionId(), "preview", e.workspaceId(), e.user(), e.clientIp(),
                e.openedAt() == null ? at : e.openedAt(), "port " + e.port())));
        on(PreviewSessionClosedEvent.class, (e, at) -> sessions.remove(e.sessionId()));

        on(PublishRequestedEvent.class, (e, at) -> publishing.put(e.requestId(), new PublishedState(e.requestId(),
                e.workspaceId(), e.workspaceName(), e.requester(), e.port(), null, null)));
        on(PublishRequestRejectedEvent.class, (e, at) -> publishing.remove(e.requestId()));
        on(PublishRequestFailedEvent.class, (e, at) -> publishing.remove(e.requestId()));
        on(PublishRequestPublishedEvent.class, (e, at) -> publishing.computeIfPresent(e.requestId(), (id, p) ->
                new PublishedState(id, p.workspaceId(), p.workspaceName(), p.requester(), p.port(), e.url(), at)));
        // Still listed while UNPUBLISHING: a removal that fails leaves the app reachable, so the report
        // errs towards showing it until the agent confirms it gone.
        on(PublishRequestUnpublishedEvent.class, (e, at) -> publishing.remove(e.requestId()));

        handledTypes = Set.copyOf(handlers.keySet().stream().map(Class::getName).toList());
    }

    private <E> void on(Class<E> type, BiConsumer<E, Instant> handler) {
        handlers.put(type, (event, at) -> handler.accept(type.cast(event), at));
    }

    /** The payload types (class names) whose events change the state. */
    Set<String> handledTypes() {
        return handledTypes;
    }

    /** Whether events of this payload type (a class name as stored) change the state. */
    boolean handles(String payloadType) {
        return handledTypes.contains(payloadType);
    }

    /** Folds one event in, recorded at {@code at}. Events of other types are ignored. */
    void apply(Object event, Instant at) {
        if (event == null) {
            return;
        }
        BiConsumer<Object, Instant> handler = handlers.get(event.getClass());
        if (handler != null) {
            handler.accept(event, at);
        }
    }

    private void blueprint(String id, BlueprintDetails details, Instant at) {
        BlueprintAcl acl = details == null || details.acl() == null ? BlueprintAcl.OPEN : details.acl();
        BlueprintState old = blueprints.get(id);
        Instant aclSince = old != null && old.acl().equals(acl) ? old.aclSince() : at;
        blueprints.put(id, new BlueprintState(id, details == null ? null : details.name(), acl, aclSince));
    }

    private void status(String workspaceId, WorkspaceStatus status, Instant at) {
        WorkspaceState workspace = workspaces.get(workspaceId);
        if (workspace == null) {
            return; // a history without the launch; the aggregate rules that out
        }
        workspaces.put(workspaceId, workspace.to(status, at));
        if (status == WorkspaceStatus.STOPPED || status == WorkspaceStatus.FAILED) {
            // Terminal sessions and preview origins end with the workspace's processes; a close
            // event that was never written (a portal that died) must not keep them open here.
            endSessionsOf(workspaceId);
        }
    }

    private void endSessionsOf(String workspaceId) {
        sessions.values().removeIf(s -> workspaceId.equals(s.workspaceId()));
    }

    /**
     * The answer at {@code at}, after the events up to {@code sequence}.
     *
     * @param workspace when not null, only this workspace and its sessions
     */
    AccessReport answer(Instant at, Long sequence, long unreadable, String workspace) {
        List<AccessReport.Member> memberList = members.values().stream()
                .map(m -> new AccessReport.Member(m.email(), m.role().code(), m.trusted(), m.since(), m.roleSince()))
                .toList();
        List<AccessReport.Blueprint> blueprintList = blueprints.values().stream()
                .map(b -> new AccessReport.Blueprint(b.id(), b.name(), AccessReport.Acl.of(b.acl()), b.aclSince()))
                .toList();
        List<AccessReport.Workspace> workspaceList = new ArrayList<>();
        for (WorkspaceState w : workspaces.values()) {
            if (workspace == null || workspace.equals(w.id())) {
                workspaceList.add(workspace(w));
            }
        }
        List<AccessReport.Session> sessionList = sessions.values().stream()
                .filter(s -> workspace == null || workspace.equals(s.workspaceId()))
                .sorted(Comparator.comparing(SessionState::openedAt, Comparator.nullsFirst(Comparator.naturalOrder())))
                .map(s -> new AccessReport.Session(s.id(), s.type(), s.workspaceId(), s.user(), s.clientIp(),
                        s.openedAt(), s.detail(), firewallVerdict(s.clientIp())))
                .toList();
        // A published app answers any member's cookie (API.md), within the firewall like a preview.
        List<AccessReport.Published> publishedList = publishing.values().stream()
                .filter(p -> p.url() != null && (workspace == null || workspace.equals(p.workspaceId())))
                .map(p -> new AccessReport.Published(p.requestId(), p.workspaceId(), p.workspaceName(), p.port(), p.url(),
                        p.since(), p.requester(), members.keySet().stream().toList(),
                        "any member may open a published app (" + members.size() + " members at this instant); "
                                + firewallReason()))
                .toList();
        return new AccessReport(at, sequence, unreadable, memberList, blueprintList,
                new AccessReport.Firewall(firewallRules.stream().map(AccessReport.Rule::of).toList(), firewallSince),
                workspaceList, sessionList, publishedList);
    }

    private AccessReport.Workspace workspace(WorkspaceState w) {
        MemberState owner = members.get(w.owner());
        AccessReport.Launch launch = launch(owner, w);
        String refusal = refusal(owner, w);
        List<AccessReport.Access> access = List.of();
        if (refusal == null) {
            List<String> via = w.ports().isEmpty() ? List.of("terminal") : List.of("terminal", "preview");
            String reason = "owner of the workspace; member since " + owner.since() + ", role " + owner.role().code()
                    + " since " + owner.roleSince() + "; workspace RUNNING since " + w.statusSince()
                    + (w.ports().isEmpty() ? "; no ports, so no preview" : "; preview on ports " + w.ports())
                    + "; " + firewallReason();
            access = List.of(new AccessReport.Access(owner.email(), via, reason));
        }
        return new AccessReport.Workspace(w.id(), w.name(), w.owner(), w.blueprintId(), w.status().name(),
                w.statusSince(), access, refusal, launch);
    }

    /** Why nobody could open a terminal or preview; null when the owner could. */
    private String refusal(MemberState owner, WorkspaceState w) {
        if (owner == null) {
            return "the owner " + w.owner() + " is not a member, and the portal refuses non-members";
        }
        if (w.status() != WorkspaceStatus.RUNNING) {
            return "the workspace is " + w.status() + " (since " + w.statusSince()
                    + "); terminals and previews need it RUNNING";
        }
        if (!firewallPassesSomeAddress()) {
            return "the firewall denies every address (" + rules(FirewallAction.DENY) + ")";
        }
        return null;
    }

    /** Whether the owner could launch from this workspace's blueprint now, as the blueprint decides. */
    private AccessReport.Launch launch(MemberState owner, WorkspaceState w) {
        BlueprintState blueprint = blueprints.get(w.blueprintId());
        if (owner == null) {
            return new AccessReport.Launch(false, w.owner() + " is not a member");
        }
        if (blueprint == null) {
            return new AccessReport.Launch(false, "blueprint " + w.blueprintId() + " is unknown");
        }
        if (owner.role() == MemberRole.ADMIN) {
            return new AccessReport.Launch(true, "role admin (since " + owner.roleSince()
                    + "): admins may launch any blueprint");
        }
        BlueprintAcl acl = blueprint.acl();
        String since = " (ACL since " + blueprint.aclSince() + ")";
        if (acl.mode() == BlueprintAcl.Mode.OPEN) {
            return new AccessReport.Launch(true, "the blueprint's ACL is open" + since);
        }
        if (acl.emails().contains(owner.email())) {
            return new AccessReport.Launch(true, owner.email() + " is listed in the blueprint's ACL" + since);
        }
        String domain = Member.domainOf(owner.email());
        if (acl.domains().contains(domain)) {
            return new AccessReport.Launch(true, "domain " + domain + " is listed in the blueprint's ACL" + since);
        }
        return new AccessReport.Launch(false, "the blueprint's ACL is restricted and lists neither "
                + owner.email() + " nor " + domain + since);
    }

    /**
     * In words, from the rules in force (precedence in {@link FirewallPolicy}): whom the firewall
     * lets through. Which addresses a client actually came from is in {@code sessions}.
     */
    private String firewallReason() {
        if (firewall.isEmpty()) {
            return firewallSince == null ? "firewall: never configured, every address allowed"
                    : "firewall: no rules since " + firewallSince + ", every address allowed";
        }
        String allows = rules(FirewallAction.ALLOW);
        String denies = rules(FirewallAction.DENY);
        if (allows.isEmpty()) {
            return "firewall: every address allowed except from " + denies + " (rules since " + firewallSince + ")";
        }
        return "firewall: allowed only from " + allows + (denies.isEmpty() ? "" : ", except from " + denies)
                + " (rules since " + firewallSince + (denies.isEmpty() ? "" : "; the most specific matching rule decides")
                + ")";
    }

    private String rules(FirewallAction action) {
        return String.join(", ", firewallRules.stream()
                .filter(r -> r.action() == action)
                .map(r -> r.cidr() + " " + r.action().name().toLowerCase(Locale.ROOT))
                .toList());
    }

    /**
     * False only when no address at all may pass: no allow rule, and deny rules for all of IPv4
     * and all of IPv6. (An allow rule lets at least its own network through unless more specific
     * deny rules tile it completely, which is not worth modelling.)
     */
    private boolean firewallPassesSomeAddress() {
        if (firewall.isEmpty() || firewallRules.stream().anyMatch(r -> r.action() == FirewallAction.ALLOW)) {
            return true;
        }
        return !(denies("0.0.0.0/0") && denies("::/0"));
    }

    private boolean denies(String cidr) {
        return firewallRules.stream().anyMatch(r -> r.action() == FirewallAction.DENY && cidr.equals(r.cidr()));
    }

    /** What the rules in force say about a session's client address. */
    private String firewallVerdict(String clientIp) {
        if (firewall.isEmpty()) {
            return "allowed: no rules";
        }
        return firewall.check(clientIp).map(FirewallPolicy.Block::reason).orElse("allowed by the rules");
    }
}
