package dev.rdeportal.query.security;

import dev.rdeportal.domain.connection.ConnectionView;
import dev.rdeportal.domain.connection.FindActiveConnectionsQuery;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.stereotype.Component;

/** Answers {@link FindActiveConnectionsQuery} from the read model, without blocking the caller. */
@Component
class ConnectionQueryHandler {

    private final ConnectionReadRepository connections;

    ConnectionQueryHandler(ConnectionReadRepository connections) {
        this.connections = connections;
    }

    @QueryHandler
    CompletableFuture<List<ConnectionView>> handle(FindActiveConnectionsQuery query) {
        return connections.open(query.limit()).collectList().toFuture();
    }
}
