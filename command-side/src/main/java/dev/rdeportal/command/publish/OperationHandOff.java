package dev.rdeportal.command.publish;

import dev.rdeportal.domain.DomainException;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the publish and unpublish sagas hand an operation to the tunnel gateway. A refusal by the
 * gateway is final (the agent is too old for it) and fails the request at once, not at the
 * deadline; any other failure is not: the operation is re-sent when the agent reconnects, or failed
 * by the saga's deadline.
 */
final class OperationHandOff {

    private static final Logger log = LoggerFactory.getLogger("rde.publish");

    private OperationHandOff() {
    }

    /**
     * @param dispatch the gateway's command ({@code Dispatch…OperationCommand})
     * @param failWith the request's fail command for the gateway's reason
     */
    static void send(CommandGateway commands, Object dispatch, Function<String, Object> failWith, String what,
                     String requestId) {
        commands.send(dispatch).exceptionally(failure -> {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            if (cause instanceof DomainException refused) {
                commands.send(failWith.apply(refused.getMessage()));
            } else {
                log.warn("publish request {}: could not hand the {} operation to the gateway: {}", requestId, what,
                        cause.getMessage());
            }
            return null;
        });
    }
}
