package dev.rdeportal.domain.member;

/** Every member with the membership version ({@link MemberList}); subscribable for changes. */
public record FindMembersQuery() {
}
