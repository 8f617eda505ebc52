package dev.rdeportal.command.blueprint;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import dev.rdeportal.domain.DomainException;
import dev.rdeportal.domain.blueprint.AuthorizeLaunchCommand;
import dev.rdeportal.domain.blueprint.BlueprintCreatedEvent;
import dev.rdeportal.domain.blueprint.BlueprintDetails;
import dev.rdeportal.domain.blueprint.BlueprintUpdatedEvent;
import dev.rdeportal.domain.blueprint.CreateBlueprintCommand;
import dev.rdeportal.domain.blueprint.UpdateBlueprintCommand;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

/** A blueprint. Its content is validated by the command; updates that change nothing record nothing. */
@Aggregate
class Blueprint {

    @AggregateIdentifier
    private String id;
    private BlueprintDetails details;

    Blueprint() {
        // for Axon
    }

    @CommandHandler
    Blueprint(CreateBlueprintCommand cmd) {
        apply(new BlueprintCreatedEvent(cmd.blueprintId(), cmd.definition().details(), cmd.createdBy()));
    }

    @CommandHandler
    void handle(UpdateBlueprintCommand cmd) {
        var next = cmd.definition().details();
        if (cmd.keepApiKey() && next.llm() != null && !next.llm().keySet()
                && details.llm() != null && details.llm().keySet()) {
            next = next.withLlm(next.llm().withEncryptedApiKey(details.llm().encryptedApiKey()));
        }
        if (next.equals(details)) {
            return;
        }
        apply(new BlueprintUpdatedEvent(id, next, cmd.updatedBy()));
    }

    /**
     * Decided here rather than from the read model, so an ACL change takes effect for every launch
     * that follows it: a launch either runs before the change (and was allowed then) or after it.
     */
    @CommandHandler
    BlueprintDetails handle(AuthorizeLaunchCommand cmd) {
        if (!cmd.admin() && !details.acl().allows(cmd.email())) {
            throw DomainException.invalid("unknown blueprint " + id);
        }
        return details;
    }

    @EventSourcingHandler
    void on(BlueprintCreatedEvent e) {
        id = e.blueprintId();
        details = e.details();
    }

    @EventSourcingHandler
    void on(BlueprintUpdatedEvent e) {
        details = e.details();
    }
}
