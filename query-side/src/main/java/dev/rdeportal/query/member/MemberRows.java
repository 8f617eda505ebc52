package dev.rdeportal.query.member;

import dev.rdeportal.domain.member.Member;
import dev.rdeportal.domain.member.MemberList;
import dev.rdeportal.domain.member.MemberRole;
import java.util.List;
import org.springframework.jdbc.core.JdbcOperations;

/** The one mapping from {@code member_view} rows to {@link Member}s. */
final class MemberRows {

    static final String COLUMNS = "email, role, trusted, workspace_limit";

    private MemberRows() {
    }

    static Member member(String email, String role, Boolean trusted, Number limit) {
        return new Member(email, MemberRole.valueOf(role), Boolean.TRUE.equals(trusted),
                limit == null ? null : limit.intValue());
    }

    /** Inside the projection's transaction: the list as this transaction will commit it. */
    static MemberList list(JdbcOperations jdbc) {
        List<Long> versions = jdbc.queryForList("SELECT version FROM member_version", Long.class);
        List<Member> members = jdbc.query("SELECT " + COLUMNS + " FROM member_view ORDER BY email",
                (rs, i) -> member(rs.getString("email"), rs.getString("role"), rs.getBoolean("trusted"),
                        (Number) rs.getObject("workspace_limit")));
        return new MemberList(versions.isEmpty() ? -1 : versions.get(0), members);
    }
}
