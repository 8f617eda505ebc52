package dev.rdeportal.command.web;

import dev.rdeportal.domain.MetaDataKeys;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.net.InetSocketAddress;
import java.security.Principal;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.MetaData;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Sends commands on behalf of an HTTP caller: stamps who and from where (the metadata every event
 * inherits) and times each command ({@code rde.command.latency}, tagged by command).
 */
@Component
public class CommandSender {

    /**
     * Exchange attribute where the portal puts the client IP once it has decided which address to
     * believe (the socket, or X-Forwarded-For from a trusted proxy). Falls back to the socket.
     */
    public static final String CLIENT_IP_ATTRIBUTE = "rde.clientIp";

    private final CommandGateway commandGateway;
    private final MeterRegistry meterRegistry;

    CommandSender(CommandGateway commandGateway, MeterRegistry meterRegistry) {
        this.commandGateway = commandGateway;
        this.meterRegistry = meterRegistry;
    }

    public <R> Mono<R> send(Object command, Principal caller, ServerWebExchange exchange) {
        MetaData metaData = MetaData.with(MetaDataKeys.ACTOR, caller.getName())
                .and(MetaDataKeys.CLIENT_IP, clientIp(exchange));
        Timer.Sample sample = Timer.start(meterRegistry);
        // Axon runs the handler on the sending thread, with JDBC (load the aggregate, append its
        // events): never on a Netty event-loop thread, which must only ever wait on I/O events.
        return Mono.defer(() -> Mono.<R>fromFuture(commandGateway.send(
                        GenericCommandMessage.asCommandMessage(command).andMetaData(metaData))))
                .subscribeOn(Schedulers.boundedElastic())
                .doFinally(signal -> sample.stop(Timer.builder("rde.command.latency")
                        .description("Time from sending a command to its result")
                        .tag("command", command.getClass().getSimpleName())
                        .publishPercentileHistogram()
                        .register(meterRegistry)));
    }

    static String clientIp(ServerWebExchange exchange) {
        Object decided = exchange.getAttribute(CLIENT_IP_ATTRIBUTE);
        if (decided instanceof String ip) {
            return ip;
        }
        InetSocketAddress remote = exchange.getRequest().getRemoteAddress();
        return remote == null || remote.getAddress() == null ? "unknown" : remote.getAddress().getHostAddress();
    }
}
