package dev.rdeportal.portal.server.web;

import dev.rdeportal.domain.DomainException;
import dev.rdeportal.domain.ErrorCode;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.NoHandlerForCommandException;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.queryhandling.QueryExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;

/**
 * The one place errors become HTTP. Runs before Boot's default handler, so no client ever sees a
 * stack trace or an exception message we did not write for them; unexpected failures are logged
 * with a reference the client gets.
 */
@Component
@Order(-2)
class ProblemExceptionHandler implements WebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger("rde.api");

    private final ProblemWriter problems;

    ProblemExceptionHandler(ProblemWriter problems) {
        this.problems = problems;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
        Throwable cause = unwrap(ex);
        if (cause instanceof DomainException domain) {
            return problems.write(exchange, domain.code(), domain.getMessage());
        }
        if (cause instanceof AggregateNotFoundException notFound) {
            return problems.write(exchange, ErrorCode.NOT_FOUND, "not found: " + notFound.getAggregateIdentifier());
        }
        if (cause instanceof AggregateStreamCreationException) {
            return problems.write(exchange, ErrorCode.STATE_CONFLICT, "it exists already");
        }
        if (cause instanceof ConcurrencyException) {
            return problems.write(exchange, ErrorCode.CONCURRENT_MODIFICATION,
                    "someone changed this at the same moment; reload and try again");
        }
        if (cause instanceof ServerWebInputException input) {
            if (input.getStatusCode().value() == 400) {
                return problems.write(exchange, ErrorCode.MALFORMED_REQUEST,
                        "the request is malformed: " + input.getReason());
            }
        }
        if (cause instanceof ResponseStatusException status) {
            int code = status.getStatusCode().value();
            return problems.write(exchange, code, codeFor(code), status.getReason() == null
                    ? "request refused" : status.getReason());
        }
        if (cause instanceof TimeoutException) {
            return problems.write(exchange, ErrorCode.UNAVAILABLE, "the control plane did not answer in time; retry");
        }
        if (cause instanceof NoHandlerForCommandException) {
            return problems.write(exchange, ErrorCode.UNAVAILABLE, "the control plane is starting; retry");
        }
        String reference = UUID.randomUUID().toString();
        log.error("unexpected failure on {} {} (reference {})", exchange.getRequest().getMethod(),
                exchange.getRequest().getPath(), reference, cause);
        return problems.write(exchange, ErrorCode.INTERNAL, "unexpected error; reference " + reference);
    }

    private static String codeFor(int status) {
        return switch (status) {
            case 400 -> ErrorCode.MALFORMED_REQUEST.code();
            case 401 -> ErrorCode.UNAUTHENTICATED.code();
            case 403 -> ErrorCode.FORBIDDEN.code();
            case 404 -> ErrorCode.NOT_FOUND.code();
            case 405 -> "method-not-allowed";
            case 406 -> "not-acceptable";
            case 413 -> "payload-too-large";
            case 415 -> "unsupported-media-type";
            case 429 -> ErrorCode.RATE_LIMITED.code();
            default -> status >= 500 ? ErrorCode.INTERNAL.code() : "request-refused";
        };
    }

    private static Throwable unwrap(Throwable ex) {
        Throwable t = ex;
        while ((t instanceof CompletionException || t instanceof CommandExecutionException
                || t instanceof QueryExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
