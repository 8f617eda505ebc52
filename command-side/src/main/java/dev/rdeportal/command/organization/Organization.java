package dev.rdeportal.command.organization;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import dev.rdeportal.domain.DomainException;
import dev.rdeportal.domain.ErrorCode;
import dev.rdeportal.domain.member.AutoJoinMemberCommand;
import dev.rdeportal.domain.member.BootstrapMembersCommand;
import dev.rdeportal.domain.member.Member;
import dev.rdeportal.domain.member.MemberChangedEvent;
import dev.rdeportal.domain.member.MemberJoinedEvent;
import dev.rdeportal.domain.member.MemberList;
import dev.rdeportal.domain.member.MemberRemovedEvent;
import dev.rdeportal.domain.member.MemberRole;
import dev.rdeportal.domain.member.MemberTrustGrantedEvent;
import dev.rdeportal.domain.member.MemberTrustRevokedEvent;
import dev.rdeportal.domain.member.ResolveMemberCommand;
import dev.rdeportal.domain.member.OrganizationCreatedEvent;
import dev.rdeportal.domain.member.PutMemberCommand;
import dev.rdeportal.domain.member.ReleaseWorkspaceSlotCommand;
import dev.rdeportal.domain.member.RemoveMemberCommand;
import dev.rdeportal.domain.member.ReserveWorkspaceSlotCommand;
import dev.rdeportal.domain.member.WorkspaceSlotReleasedEvent;
import dev.rdeportal.domain.member.WorkspaceSlotReservedEvent;
import java.util.LinkedHashMap;
import java.util.Map;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

/**
 * The organisation ({@value Member#ORGANIZATION_ID}): every member with role, trust and workspace
 * limit, and every running-workspace slot. One aggregate on purpose: its commands are serialised
 * (by the aggregate lock in one portal, by the event store's unique (aggregate, sequence) across
 * replicas), so "never remove the last admin" and "at most N running workspaces" hold under any
 * concurrency without a read-then-write race.
 *
 * <p>A slot is keyed by the operation that launched or started the workspace; an owner's count
 * is the number of distinct workspaces holding a slot. The {@code WorkspaceSlotSaga} gives a slot
 * back when that run ends (stopped, failed, deleted).
 */
@Aggregate
class Organization {

    @AggregateIdentifier
    private String id;
    private final Map<String, Member> members = new LinkedHashMap<>();
    /** Sequence number of the latest membership event: the version caches compare. */
    private long memberVersion = -1;
    private final Map<String, Slot> slots = new LinkedHashMap<>();

    private record Slot(String owner, String workspaceId) {
    }

    Organization() {
        // for Axon
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    MemberList handle(BootstrapMembersCommand cmd) {
        String org = cmd.organizationId();
        for (String email : cmd.admins()) {
            Member current = members.get(email);
            if (current == null) {
                apply(new MemberJoinedEvent(org, email, MemberRole.ADMIN, false, null, "bootstrap"));
            } else if (!current.admin()) {
                apply(new MemberChangedEvent(org, email, MemberRole.ADMIN, current.trusted(), current.workspaceLimit()));
            }
        }
        for (String email : cmd.users()) {
            if (!members.containsKey(email)) {
                apply(new MemberJoinedEvent(org, email, MemberRole.USER, false, null, "bootstrap"));
            }
        }
        if (id == null) {
            // Nothing configured on a first start: the organisation still needs a first event to exist.
            apply(new OrganizationCreatedEvent(org));
        }
        return list();
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    MemberList handle(AutoJoinMemberCommand cmd) {
        if (!members.containsKey(cmd.email())) {
            apply(new MemberJoinedEvent(cmd.organizationId(), cmd.email(), MemberRole.USER, false, null,
                    "auto-join:" + cmd.domainRule()));
        }
        return list();
    }

    @CommandHandler
    MemberList handle(PutMemberCommand cmd) {
        Member current = members.get(cmd.email());
        if (current == null) {
            apply(new MemberJoinedEvent(id, cmd.email(), cmd.role(), cmd.trusted(), cmd.workspaceLimit(), "invitation"));
            if (cmd.trusted()) {
                apply(new MemberTrustGrantedEvent(id, cmd.email()));
            }
            return list();
        }
        if (current.admin() && cmd.role() != MemberRole.ADMIN) {
            requireAnotherAdmin(cmd.email(), "demoted");
        }
        Member next = new Member(cmd.email(), cmd.role(), cmd.trusted(), cmd.workspaceLimit());
        if (!next.equals(current)) {
            apply(new MemberChangedEvent(id, cmd.email(), cmd.role(), cmd.trusted(), cmd.workspaceLimit()));
            if (cmd.trusted() && !current.trusted()) {
                apply(new MemberTrustGrantedEvent(id, cmd.email()));
            } else if (!cmd.trusted() && current.trusted()) {
                apply(new MemberTrustRevokedEvent(id, cmd.email()));
            }
        }
        return list();
    }

    /** The member as now; trust is read here, under the lock, so a revocation applies to the next request. */
    @CommandHandler
    Member handle(ResolveMemberCommand cmd) {
        Member member = members.get(cmd.email());
        if (member == null) {
            throw new DomainException(ErrorCode.NOT_A_MEMBER, cmd.email() + " is not a member of this portal");
        }
        return member;
    }

    @CommandHandler
    MemberList handle(RemoveMemberCommand cmd) {
        Member current = members.get(cmd.email());
        if (current == null) {
            throw DomainException.notFound("member", cmd.email());
        }
        if (current.admin()) {
            requireAnotherAdmin(cmd.email(), "removed");
        }
        apply(new MemberRemovedEvent(id, cmd.email()));
        return list();
    }

    @CommandHandler
    void handle(ReserveWorkspaceSlotCommand cmd) {
        Member member = members.get(cmd.owner());
        if (member == null) {
            throw new DomainException(ErrorCode.NOT_A_MEMBER, cmd.owner() + " is not a member of this portal");
        }
        if (slots.containsKey(cmd.operationId())) {
            return;
        }
        int limit = member.limit(cmd.defaultLimit());
        long others = slots.values().stream()
                .filter(s -> s.owner().equals(cmd.owner()) && !s.workspaceId().equals(cmd.workspaceId()))
                .map(Slot::workspaceId).distinct().count();
        if (others >= limit) {
            throw new DomainException(ErrorCode.WORKSPACE_LIMIT_REACHED, "you have " + others
                    + " running workspaces and your limit is " + limit + "; stop or delete one first");
        }
        apply(new WorkspaceSlotReservedEvent(id, cmd.owner(), cmd.workspaceId(), cmd.operationId()));
    }

    @CommandHandler
    void handle(ReleaseWorkspaceSlotCommand cmd) {
        Slot slot = slots.get(cmd.operationId());
        if (slot != null) {
            apply(new WorkspaceSlotReleasedEvent(id, slot.owner(), slot.workspaceId(), cmd.operationId()));
        }
    }

    private void requireAnotherAdmin(String email, String what) {
        boolean another = members.values().stream().anyMatch(m -> m.admin() && !m.email().equals(email));
        if (!another) {
            throw new DomainException(ErrorCode.LAST_ADMIN, email + " is the last admin and cannot be " + what
                    + "; make another member admin first");
        }
    }

    private MemberList list() {
        return new MemberList(memberVersion, members.values().stream().toList());
    }

    @EventSourcingHandler
    void on(MemberJoinedEvent e, @SequenceNumber long seq) {
        id = e.organizationId();
        members.put(e.email(), new Member(e.email(), e.role(), e.trusted(), e.workspaceLimit()));
        memberVersion = seq;
    }

    @EventSourcingHandler
    void on(MemberChangedEvent e, @SequenceNumber long seq) {
        members.put(e.email(), new Member(e.email(), e.role(), e.trusted(), e.workspaceLimit()));
        memberVersion = seq;
    }

    @EventSourcingHandler
    void on(OrganizationCreatedEvent e) {
        id = e.organizationId();
    }

    @EventSourcingHandler
    void on(MemberRemovedEvent e, @SequenceNumber long seq) {
        members.remove(e.email());
        memberVersion = seq;
    }

    @EventSourcingHandler
    void on(WorkspaceSlotReservedEvent e) {
        slots.put(e.operationId(), new Slot(e.owner(), e.workspaceId()));
    }

    @EventSourcingHandler
    void on(WorkspaceSlotReleasedEvent e) {
        slots.remove(e.operationId());
    }
}
