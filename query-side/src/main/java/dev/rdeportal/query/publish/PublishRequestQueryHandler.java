package dev.rdeportal.query.publish;

import dev.rdeportal.domain.publish.FindPendingPublishOperationsQuery;
import dev.rdeportal.domain.publish.FindPublishRequestQuery;
import dev.rdeportal.domain.publish.FindPublishedAppQuery;
import dev.rdeportal.domain.publish.PublishRequestView;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.stereotype.Component;

/** Answers the publish queries of the gateway (serving published apps, re-sending operations) from the read model. */
@Component
class PublishRequestQueryHandler {

    private final PublishRequestReadRepository requests;

    PublishRequestQueryHandler(PublishRequestReadRepository requests) {
        this.requests = requests;
    }

    @QueryHandler
    CompletableFuture<Optional<PublishRequestView>> handle(FindPublishRequestQuery query) {
        return requests.findById(query.requestId()).map(Optional::of).defaultIfEmpty(Optional.empty()).toFuture();
    }

    @QueryHandler
    CompletableFuture<Optional<PublishRequestView>> handle(FindPublishedAppQuery query) {
        return requests.findByPublishName(query.publishName()).map(Optional::of).defaultIfEmpty(Optional.empty()).toFuture();
    }

    @QueryHandler
    CompletableFuture<List<PublishRequestView>> handle(FindPendingPublishOperationsQuery query) {
        return requests.pendingOperations(query.clusterId()).toFuture();
    }
}
