package dev.rdeportal.query.firewall;

import dev.rdeportal.domain.firewall.FindFirewallRulesQuery;
import dev.rdeportal.domain.firewall.FirewallBlockedEvent;
import dev.rdeportal.domain.firewall.FirewallRule;
import dev.rdeportal.domain.firewall.FirewallRuleSet;
import dev.rdeportal.domain.firewall.FirewallRulesReplacedEvent;
import dev.rdeportal.query.support.Timestamps;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.queryhandling.QueryUpdateEmitter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Keeps {@code firewall_rule_view} (the rules in force, in the admin's order) and
 * {@code firewall_block_view} (refused connections). A replacement rewrites the whole rule table,
 * so handling it again leaves the same rows; a block is keyed by its event id. After a change the
 * new rule set goes to subscribers of {@link FindFirewallRulesQuery} on this replica (the
 * firewall's in-memory cache).
 */
@Component
@ProcessingGroup(FirewallProjection.PROCESSING_GROUP)
class FirewallProjection {

    static final String PROCESSING_GROUP = "firewall";

    private static final Logger log = LoggerFactory.getLogger("rde.query.firewall");

    private final NamedParameterJdbcTemplate jdbc;
    private final QueryUpdateEmitter updates;

    FirewallProjection(JdbcTemplate jdbc, QueryUpdateEmitter updates) {
        this.jdbc = new NamedParameterJdbcTemplate(jdbc);
        this.updates = updates;
    }

    @EventHandler
    void on(FirewallRulesReplacedEvent e) {
        List<FirewallRule> rules = e.rules() == null ? List.of() : e.rules();
        jdbc.getJdbcOperations().update("DELETE FROM firewall_rule_view");
        for (int i = 0; i < rules.size(); i++) {
            FirewallRule rule = rules.get(i);
            jdbc.update("INSERT INTO firewall_rule_view (position, action, cidr, note) VALUES (:position, :action, "
                    + ":cidr, :note)", new MapSqlParameterSource()
                    .addValue("position", i)
                    .addValue("action", rule.action().name())
                    .addValue("cidr", rule.cidr())
                    .addValue("note", rule.note(), Types.VARCHAR));
        }
        // Emitted when the unit of work commits, so no subscriber sees rules that were rolled back.
        updates.emit(FindFirewallRulesQuery.class, query -> true, new FirewallRuleSet(rules));
        log.info("firewall rules replaced: {} rules", rules.size());
    }

    @EventHandler
    void on(FirewallBlockedEvent e, EventMessage<?> message, @Timestamp Instant at) {
        FirewallRule rule = e.rule();
        MapSqlParameterSource row = new MapSqlParameterSource()
                .addValue("eventId", message.getIdentifier())
                .addValue("at", Timestamps.toColumn(at))
                .addValue("user", e.user(), Types.VARCHAR)
                .addValue("clientIp", e.clientIp() == null ? "unknown" : e.clientIp())
                .addValue("target", e.target() == null ? "" : e.target())
                .addValue("ruleAction", rule == null || rule.action() == null ? null : rule.action().name(), Types.VARCHAR)
                .addValue("ruleCidr", rule == null ? null : rule.cidr(), Types.VARCHAR)
                .addValue("ruleNote", rule == null ? null : rule.note(), Types.VARCHAR)
                .addValue("reason", e.reason() == null ? "" : e.reason());
        jdbc.update("INSERT INTO firewall_block_view (event_id, blocked_at, user_email, client_ip, target, rule_action, "
                + "rule_cidr, rule_note, reason) SELECT :eventId, :at, :user, :clientIp, :target, :ruleAction, :ruleCidr, "
                + ":ruleNote, :reason WHERE NOT EXISTS (SELECT 1 FROM firewall_block_view WHERE event_id = :eventId)", row);
    }

    @ResetHandler
    void reset() {
        jdbc.getJdbcOperations().update("DELETE FROM firewall_rule_view");
        int blocks = jdbc.getJdbcOperations().update("DELETE FROM firewall_block_view");
        updates.emit(FindFirewallRulesQuery.class, query -> true, new FirewallRuleSet(List.of()));
        log.info("firewall read model cleared for replay ({} blocks)", blocks);
    }
}
