package dev.rdeportal.query.firewall;

import dev.rdeportal.domain.firewall.FirewallAction;
import dev.rdeportal.domain.firewall.FirewallRule;
import dev.rdeportal.domain.firewall.FirewallRuleSet;
import dev.rdeportal.query.support.Timestamps;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** Reads the firewall's read model through R2DBC. */
@Component
class FirewallReadRepository {

    private final DatabaseClient db;

    FirewallReadRepository(DatabaseClient db) {
        this.db = db;
    }

    record Block(long position, Instant at, String user, String clientIp, String target, FirewallRule rule,
                 String reason) {
    }

    Mono<FirewallRuleSet> rules() {
        return db.sql("SELECT action, cidr, note FROM firewall_rule_view ORDER BY position")
                .map(row -> new FirewallRule(FirewallAction.valueOf(row.get("action", String.class)),
                        row.get("cidr", String.class), row.get("note", String.class)))
                .all()
                .collectList()
                .map(FirewallRuleSet::new);
    }

    /** Newest first, strictly before {@code before} when given; one more than asked, to tell if more follow. */
    Mono<List<Block>> blocks(Long before, int limit) {
        String where = before == null ? "" : " WHERE position < :before";
        DatabaseClient.GenericExecuteSpec spec = db.sql("SELECT position, blocked_at, user_email, client_ip, target, "
                + "rule_action, rule_cidr, rule_note, reason FROM firewall_block_view" + where
                + " ORDER BY position DESC LIMIT :limit").bind("limit", limit + 1);
        if (before != null) {
            spec = spec.bind("before", before);
        }
        return spec.map(FirewallReadRepository::block).all().collectList();
    }

    private static Block block(Readable row) {
        String action = row.get("rule_action", String.class);
        FirewallRule rule = action == null ? null : new FirewallRule(FirewallAction.valueOf(action),
                row.get("rule_cidr", String.class), row.get("rule_note", String.class));
        Number position = row.get("position", Number.class);
        return new Block(position.longValue(), Timestamps.toInstant(row.get("blocked_at")),
                row.get("user_email", String.class), row.get("client_ip", String.class), row.get("target", String.class),
                rule, row.get("reason", String.class));
    }
}
