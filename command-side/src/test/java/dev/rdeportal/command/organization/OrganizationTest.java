package dev.rdeportal.command.organization;

import static dev.rdeportal.domain.member.Member.ORGANIZATION_ID;

import dev.rdeportal.domain.DomainException;
import dev.rdeportal.domain.ErrorCode;
import dev.rdeportal.domain.member.AutoJoinMemberCommand;
import dev.rdeportal.domain.member.BootstrapMembersCommand;
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
import dev.rdeportal.domain.member.Member;
import java.util.List;
import java.util.Set;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OrganizationTest {

    static final String ADA = "ada@example.com";
    static final String ALICE = "alice@example.com";

    static final MemberJoinedEvent ADA_JOINED = new MemberJoinedEvent(ORGANIZATION_ID, ADA, MemberRole.ADMIN, false, null,
            "bootstrap");
    static final MemberJoinedEvent ALICE_JOINED = new MemberJoinedEvent(ORGANIZATION_ID, ALICE, MemberRole.USER, false,
            null, "bootstrap");

    AggregateTestFixture<Organization> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Organization.class);
    }

    @Test
    void theFirstStartSeedsTheConfiguredAdminsAndMembers() {
        fixture.givenNoPriorActivity()
                .when(new BootstrapMembersCommand(ORGANIZATION_ID, Set.of("Ada@Example.com"), Set.of(ALICE)))
                .expectEvents(ADA_JOINED, ALICE_JOINED)
                .expectResultMessagePayload(new MemberList(1, List.of(
                        new Member(ADA, MemberRole.ADMIN, false, null), new Member(ALICE, MemberRole.USER, false, null))));
    }

    @Test
    void aFirstStartWithoutMembersStillCreatesTheOrganization() {
        fixture.givenNoPriorActivity()
                .when(new BootstrapMembersCommand(ORGANIZATION_ID, Set.of(), Set.of()))
                .expectEvents(new OrganizationCreatedEvent(ORGANIZATION_ID));
    }

    @Test
    void bootstrapIsIdempotentAndPromotesAConfiguredAdmin() {
        fixture.given(ADA_JOINED, ALICE_JOINED)
                .when(new BootstrapMembersCommand(ORGANIZATION_ID, Set.of(ADA), Set.of(ALICE)))
                .expectNoEvents();
        fixture.given(ADA_JOINED, ALICE_JOINED)
                .when(new BootstrapMembersCommand(ORGANIZATION_ID, Set.of(ADA, ALICE), Set.of()))
                .expectEvents(new MemberChangedEvent(ORGANIZATION_ID, ALICE, MemberRole.ADMIN, false, null));
    }

    @Test
    void autoJoinMakesAUserMemberOnceAndAnswersTheMembers() {
        fixture.given(ADA_JOINED)
                .when(new AutoJoinMemberCommand(ORGANIZATION_ID, "Bob@Example.com", "example.com"))
                .expectEvents(new MemberJoinedEvent(ORGANIZATION_ID, "bob@example.com", MemberRole.USER, false, null,
                        "auto-join:example.com"))
                .expectResultMessagePayload(new MemberList(1, List.of(new Member(ADA, MemberRole.ADMIN, false, null),
                        new Member("bob@example.com", MemberRole.USER, false, null))));
        fixture.given(ADA_JOINED, new MemberJoinedEvent(ORGANIZATION_ID, "bob@example.com", MemberRole.USER, true, 2,
                        "invitation"))
                .when(new AutoJoinMemberCommand(ORGANIZATION_ID, "bob@example.com", "example.com"))
                .expectNoEvents();
    }

    @Test
    void anAdminInvitesAndChangesMembers() {
        fixture.given(ADA_JOINED)
                .when(new PutMemberCommand(ORGANIZATION_ID, ALICE, MemberRole.USER, true, 2))
                .expectEvents(new MemberJoinedEvent(ORGANIZATION_ID, ALICE, MemberRole.USER, true, 2, "invitation"),
                        new MemberTrustGrantedEvent(ORGANIZATION_ID, ALICE));
        fixture.given(ADA_JOINED, ALICE_JOINED)
                .when(new PutMemberCommand(ORGANIZATION_ID, ALICE, MemberRole.USER, false, null))
                .expectNoEvents();
    }

    @Test
    void grantingAndRevokingTrustAreEventsOfTheirOwn() {
        fixture.given(ADA_JOINED, ALICE_JOINED)
                .when(new PutMemberCommand(ORGANIZATION_ID, ALICE, MemberRole.USER, true, null))
                .expectEvents(new MemberChangedEvent(ORGANIZATION_ID, ALICE, MemberRole.USER, true, null),
                        new MemberTrustGrantedEvent(ORGANIZATION_ID, ALICE));
        fixture.given(ADA_JOINED, ALICE_JOINED, new MemberChangedEvent(ORGANIZATION_ID, ALICE, MemberRole.USER, true, null))
                .when(new PutMemberCommand(ORGANIZATION_ID, ALICE, MemberRole.USER, false, null))
                .expectEvents(new MemberChangedEvent(ORGANIZATION_ID, ALICE, MemberRole.USER, false, null),
                        new MemberTrustRevokedEvent(ORGANIZATION_ID, ALICE));
        // A change of limit alone is no trust event.
        fixture.given(ADA_JOINED, ALICE_JOINED, new MemberChangedEvent(ORGANIZATION_ID, ALICE, MemberRole.USER, true, null))
                .when(new PutMemberCommand(ORGANIZATION_ID, ALICE, MemberRole.USER, true, 3))
                .expectEvents(new MemberChangedEvent(ORGANIZATION_ID, ALICE, MemberRole.USER, true, 3));
    }

    @Test
    void resolvingAMemberReadsTrustAsItIsNowAndRecordsNothing() {
        fixture.given(ADA_JOINED, ALICE_JOINED, new MemberChangedEvent(ORGANIZATION_ID, ALICE, MemberRole.USER, true, null),
                        new MemberTrustGrantedEvent(ORGANIZATION_ID, ALICE),
                        new MemberChangedEvent(ORGANIZATION_ID, ALICE, MemberRole.USER, false, null),
                        new MemberTrustRevokedEvent(ORGANIZATION_ID, ALICE))
                .when(new ResolveMemberCommand(ORGANIZATION_ID, ALICE))
                .expectNoEvents()
                .expectResultMessagePayload(new Member(ALICE, MemberRole.USER, false, null));
        fixture.given(ADA_JOINED)
                .when(new ResolveMemberCommand(ORGANIZATION_ID, "eve@example.com"))
                .expectNoEvents()
                .expectException(code(ErrorCode.NOT_A_MEMBER));
    }

    @Test
    void theLastAdminCannotBeDemoted() {
        fixture.given(ADA_JOINED, ALICE_JOINED)
                .when(new PutMemberCommand(ORGANIZATION_ID, ADA, MemberRole.USER, false, null))
                .expectNoEvents()
                .expectException(code(ErrorCode.LAST_ADMIN));
    }

    @Test
    void theLastAdminCannotBeRemovedButAnotherAdminCan() {
        fixture.given(ADA_JOINED, ALICE_JOINED)
                .when(new RemoveMemberCommand(ORGANIZATION_ID, ADA))
                .expectNoEvents()
                .expectException(code(ErrorCode.LAST_ADMIN));
        fixture.given(ADA_JOINED, new MemberJoinedEvent(ORGANIZATION_ID, ALICE, MemberRole.ADMIN, false, null, "invitation"))
                .when(new RemoveMemberCommand(ORGANIZATION_ID, ADA))
                .expectEvents(new MemberRemovedEvent(ORGANIZATION_ID, ADA));
    }

    @Test
    void removingAnUnknownMemberIsNotFound() {
        fixture.given(ADA_JOINED)
                .when(new RemoveMemberCommand(ORGANIZATION_ID, "nobody@example.com"))
                .expectException(code(ErrorCode.NOT_FOUND));
    }

    @Test
    void launchBelowTheLimitReservesASlot() {
        fixture.given(ADA_JOINED, ALICE_JOINED, slot("ws-1", "op-1"))
                .when(new ReserveWorkspaceSlotCommand(ORGANIZATION_ID, ALICE, "ws-2", "op-2", 2))
                .expectEvents(slot("ws-2", "op-2"));
    }

    @Test
    void launchAtLimitIsRejected() {
        fixture.given(ADA_JOINED, ALICE_JOINED, slot("ws-1", "op-1"), slot("ws-2", "op-2"))
                .when(new ReserveWorkspaceSlotCommand(ORGANIZATION_ID, ALICE, "ws-3", "op-3", 2))
                .expectNoEvents()
                .expectException(code(ErrorCode.WORKSPACE_LIMIT_REACHED));
    }

    @Test
    void aMembersOverrideReplacesTheDefaultLimit() {
        fixture.given(ADA_JOINED, new MemberJoinedEvent(ORGANIZATION_ID, ALICE, MemberRole.USER, false, 0, "invitation"))
                .when(new ReserveWorkspaceSlotCommand(ORGANIZATION_ID, ALICE, "ws-1", "op-1", 5))
                .expectException(DomainException.class);
        fixture.given(ADA_JOINED, new MemberJoinedEvent(ORGANIZATION_ID, ALICE, MemberRole.USER, false, 3, "invitation"),
                        slot("ws-1", "op-1"), slot("ws-2", "op-2"))
                .when(new ReserveWorkspaceSlotCommand(ORGANIZATION_ID, ALICE, "ws-3", "op-3", 1))
                .expectEvents(slot("ws-3", "op-3"));
    }

    @Test
    void aRestartBeforeTheOldRunWasReleasedCountsTheWorkspaceOnce() {
        fixture.given(ADA_JOINED, ALICE_JOINED, slot("ws-1", "op-1"))
                .when(new ReserveWorkspaceSlotCommand(ORGANIZATION_ID, ALICE, "ws-1", "op-9", 1))
                .expectEvents(slot("ws-1", "op-9"));
    }

    @Test
    void aReleasedSlotMakesRoomAndReleasingTwiceRecordsNothing() {
        fixture.given(ADA_JOINED, ALICE_JOINED, slot("ws-1", "op-1"),
                        new WorkspaceSlotReleasedEvent(ORGANIZATION_ID, ALICE, "ws-1", "op-1"))
                .when(new ReserveWorkspaceSlotCommand(ORGANIZATION_ID, ALICE, "ws-2", "op-2", 1))
                .expectEvents(slot("ws-2", "op-2"));
        fixture.given(ADA_JOINED, ALICE_JOINED, slot("ws-1", "op-1"))
                .when(new ReleaseWorkspaceSlotCommand(ORGANIZATION_ID, "op-1"))
                .expectEvents(new WorkspaceSlotReleasedEvent(ORGANIZATION_ID, ALICE, "ws-1", "op-1"));
        fixture.given(ADA_JOINED, ALICE_JOINED)
                .when(new ReleaseWorkspaceSlotCommand(ORGANIZATION_ID, "op-1"))
                .expectNoEvents();
    }

    @Test
    void aNonMemberCannotReserve() {
        fixture.given(ADA_JOINED)
                .when(new ReserveWorkspaceSlotCommand(ORGANIZATION_ID, "eve@example.com", "ws-1", "op-1", 5))
                .expectException(code(ErrorCode.NOT_A_MEMBER));
    }

    @Test
    void theMemberListCarriesTheMembershipVersion() {
        fixture.given(ADA_JOINED, ALICE_JOINED, slot("ws-1", "op-1"))
                .when(new AutoJoinMemberCommand(ORGANIZATION_ID, ALICE, "example.com"))
                .expectResultMessagePayload(new MemberList(1, List.of(new Member(ADA, MemberRole.ADMIN, false, null),
                        new Member(ALICE, MemberRole.USER, false, null))));
    }

    static org.hamcrest.Matcher<DomainException> code(ErrorCode code) {
        return new org.hamcrest.FeatureMatcher<>(org.hamcrest.Matchers.equalTo(code), "error code", "code") {
            @Override
            protected ErrorCode featureValueOf(DomainException actual) {
                return actual.code();
            }
        };
    }

    static WorkspaceSlotReservedEvent slot(String workspaceId, String operationId) {
        return new WorkspaceSlotReservedEvent(ORGANIZATION_ID, ALICE, workspaceId, operationId);
    }

}
