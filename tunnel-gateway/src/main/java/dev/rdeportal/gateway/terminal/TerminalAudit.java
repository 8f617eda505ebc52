package dev.rdeportal.gateway.terminal;

import dev.rdeportal.domain.MetaDataKeys;
import java.util.List;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.gateway.EventGateway;
import org.axonframework.messaging.MetaData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Records terminal connections and ticket refusals in the event store, with who ({@code actor})
 * and from where ({@code clientIp}). Publishing writes to the database, so it runs off the event
 * loop. A failure to record is logged, never thrown at the user's terminal.
 */
public final class TerminalAudit {

    private static final Logger log = LoggerFactory.getLogger("rde.gateway.terminal.audit");

    private final EventGateway events;

    public TerminalAudit(EventGateway events) {
        this.events = events;
    }

    /** @param actor an email, or null for a caller we could not identify (recorded as {@code system}) */
    public Mono<Void> record(Object event, String actor, String clientIp) {
        return Mono.fromRunnable(() -> {
                    try {
                        events.publish(List.of(GenericEventMessage.asEventMessage(event).andMetaData(
                                MetaData.with(MetaDataKeys.ACTOR, actor == null ? MetaDataKeys.SYSTEM : actor)
                                        .and(MetaDataKeys.CLIENT_IP, clientIp))));
                    } catch (RuntimeException e) {
                        log.error("cannot record {} from {}", event.getClass().getSimpleName(), clientIp, e);
                    }
                })
                .subscribeOn(Schedulers.boundedElastic())
                .then();
    }
}
