package dev.rdeportal.query.member;

import dev.rdeportal.domain.member.FindMembersQuery;
import dev.rdeportal.domain.member.MemberChangedEvent;
import dev.rdeportal.domain.member.MemberJoinedEvent;
import dev.rdeportal.domain.member.MemberList;
import dev.rdeportal.domain.member.MemberRemovedEvent;
import dev.rdeportal.query.support.Timestamps;
import java.sql.Types;
import java.time.Instant;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.queryhandling.QueryUpdateEmitter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Keeps {@code member_view} and {@code member_version}. Every write sets absolute values, so an
 * event handled again leaves the same rows. After each change the whole list goes to subscribers
 * of {@link FindMembersQuery} on this replica (the portal's member cache), on commit.
 */
@Component
@ProcessingGroup(MemberProjection.PROCESSING_GROUP)
class MemberProjection {

    static final String PROCESSING_GROUP = "members";

    private static final Logger log = LoggerFactory.getLogger("rde.query.members");

    private final NamedParameterJdbcTemplate jdbc;
    private final QueryUpdateEmitter updates;

    MemberProjection(JdbcTemplate jdbc, QueryUpdateEmitter updates) {
        this.jdbc = new NamedParameterJdbcTemplate(jdbc);
        this.updates = updates;
    }

    @EventHandler
    void on(MemberJoinedEvent e, @SequenceNumber long seq, @Timestamp Instant at) {
        MapSqlParameterSource row = row(e.email(), e.role().name(), e.trusted(), e.workspaceLimit(), at)
                .addValue("via", e.via() == null ? "" : e.via());
        jdbc.update("DELETE FROM member_view WHERE email = :email", row);
        jdbc.update("INSERT INTO member_view (email, role, trusted, workspace_limit, joined_via, joined_at, updated_at) "
                + "VALUES (:email, :role, :trusted, :limit, :via, :at, :at)", row);
        changed(e.organizationId(), seq);
    }

    @EventHandler
    void on(MemberChangedEvent e, @SequenceNumber long seq, @Timestamp Instant at) {
        jdbc.update("UPDATE member_view SET role = :role, trusted = :trusted, workspace_limit = :limit, "
                + "updated_at = :at WHERE email = :email", row(e.email(), e.role().name(), e.trusted(),
                e.workspaceLimit(), at));
        changed(e.organizationId(), seq);
    }

    @EventHandler
    void on(MemberRemovedEvent e, @SequenceNumber long seq) {
        jdbc.update("DELETE FROM member_view WHERE email = :email", new MapSqlParameterSource("email", e.email()));
        changed(e.organizationId(), seq);
    }

    @ResetHandler
    void reset() {
        int removed = jdbc.getJdbcOperations().update("DELETE FROM member_view");
        jdbc.getJdbcOperations().update("DELETE FROM member_version");
        log.info("member read model cleared for replay ({} rows)", removed);
    }

    private void changed(String organizationId, long seq) {
        MapSqlParameterSource version = new MapSqlParameterSource("id", organizationId).addValue("version", seq);
        if (jdbc.update("UPDATE member_version SET version = :version WHERE id = :id", version) == 0) {
            jdbc.update("INSERT INTO member_version (id, version) VALUES (:id, :version)", version);
        }
        MemberList list = MemberRows.list(jdbc.getJdbcOperations());
        // Emitted when the unit of work commits: no subscriber sees a membership that was rolled back.
        updates.emit(FindMembersQuery.class, query -> true, list);
    }

    private static MapSqlParameterSource row(String email, String role, boolean trusted, Integer limit, Instant at) {
        return new MapSqlParameterSource()
                .addValue("email", email)
                .addValue("role", role)
                .addValue("trusted", trusted)
                .addValue("limit", limit, Types.INTEGER)
                .addValue("at", Timestamps.toColumn(at));
    }
}
