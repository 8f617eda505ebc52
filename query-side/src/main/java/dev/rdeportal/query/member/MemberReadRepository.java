package dev.rdeportal.query.member;

import dev.rdeportal.domain.member.Member;
import dev.rdeportal.domain.member.MemberList;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** Reads the member read model through R2DBC. */
@Component
class MemberReadRepository {

    private final DatabaseClient db;

    MemberReadRepository(DatabaseClient db) {
        this.db = db;
    }

    /** Every member with the version, read in one transaction-less pass (version first: never newer than the rows). */
    Mono<MemberList> all() {
        Mono<Long> version = db.sql("SELECT version FROM member_version")
                .map(row -> row.get("version", Number.class).longValue()).all().next().defaultIfEmpty(-1L);
        return version.flatMap(v -> page(null, Integer.MAX_VALUE).map(members -> new MemberList(v, members)));
    }

    /** By email, strictly after {@code after} when given. */
    Mono<List<Member>> page(String after, int limit) {
        String where = after == null ? "" : " WHERE email > :after";
        DatabaseClient.GenericExecuteSpec spec = db.sql("SELECT " + MemberRows.COLUMNS + " FROM member_view" + where
                + " ORDER BY email LIMIT :limit").bind("limit", limit);
        if (after != null) {
            spec = spec.bind("after", after);
        }
        return spec.map(row -> MemberRows.member(row.get("email", String.class), row.get("role", String.class),
                row.get("trusted", Boolean.class), row.get("workspace_limit", Number.class))).all().collectList();
    }
}
