package dev.rdeportal.domain.member;

import java.util.List;

/**
 * Every member, as of the organisation's {@code version} (the sequence number of its latest
 * membership event): a cache installs a list only if it is not older than the one it holds.
 */
public record MemberList(long version, List<Member> members) {

    public MemberList {
        members = members == null ? List.of() : List.copyOf(members);
    }
}
