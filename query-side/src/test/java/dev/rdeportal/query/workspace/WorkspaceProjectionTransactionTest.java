package dev.rdeportal.query.workspace;

import static dev.rdeportal.query.workspace.Workspaces.at;
import static dev.rdeportal.query.workspace.Workspaces.launched;
import static org.assertj.core.api.Assertions.assertThat;
import static org.axonframework.eventhandling.ReplayStatus.REGULAR;

import dev.rdeportal.domain.workspace.FindOwnedWorkspacesQuery;
import dev.rdeportal.domain.workspace.WorkspaceLaunchedEvent;
import dev.rdeportal.domain.workspace.WorkspaceView;
import dev.rdeportal.query.support.ReadModelDatabase;
import dev.rdeportal.query.topology.TopologyChanges;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.queryhandling.GenericSubscriptionQueryMessage;
import org.axonframework.queryhandling.SimpleQueryUpdateEmitter;
import org.axonframework.queryhandling.SubscriptionQueryUpdateMessage;
import org.axonframework.queryhandling.UpdateHandlerRegistration;
import org.axonframework.spring.messaging.unitofwork.SpringTransactionManager;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.support.JdbcTransactionManager;

/**
 * The projection inside a unit of work with a Spring transaction, as a tracking processor runs it
 * (where the token update shares the transaction): its row and its live update exist only if the
 * unit of work commits.
 */
class WorkspaceProjectionTransactionTest {

    private final ReadModelDatabase db = ReadModelDatabase.create();
    private final SimpleQueryUpdateEmitter emitter = SimpleQueryUpdateEmitter.builder().build();
    private final WorkspaceProjection projection = new WorkspaceProjection(db.jdbc(), emitter, new TopologyChanges());
    private final SpringTransactionManager transactions =
            new SpringTransactionManager(new JdbcTransactionManager(db.jdbc().getDataSource()));

    @Test
    void aRolledBackUnitOfWorkLeavesNoRowAndPushesNothing() {
        UpdateHandlerRegistration<Object> subscription = subscribe();

        inUnitOfWork(launched("w1", "ann@example.com"), UnitOfWork::rollback);
        subscription.complete();

        assertThat(db.jdbc().queryForObject("SELECT COUNT(*) FROM workspace_view", Integer.class)).isZero();
        assertThat(updates(subscription)).isEmpty();
    }

    @Test
    void aCommittedUnitOfWorkKeepsTheRowAndPushesItAfterCommit() {
        UpdateHandlerRegistration<Object> subscription = subscribe();

        inUnitOfWork(launched("w1", "ann@example.com"), UnitOfWork::commit);
        subscription.complete();

        assertThat(db.jdbc().queryForObject("SELECT COUNT(*) FROM workspace_view", Integer.class)).isOne();
        assertThat(updates(subscription)).extracting(WorkspaceView::id).containsExactly("w1");
    }

    private void inUnitOfWork(WorkspaceLaunchedEvent event, Consumer<UnitOfWork<?>> end) {
        UnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(GenericEventMessage.asEventMessage(event));
        unitOfWork.attachTransaction(transactions);
        projection.on(event, at(0), REGULAR);
        end.accept(unitOfWork);
    }

    private UpdateHandlerRegistration<Object> subscribe() {
        return emitter.registerUpdateHandler(new GenericSubscriptionQueryMessage<>(
                new FindOwnedWorkspacesQuery("ann@example.com"),
                ResponseTypes.multipleInstancesOf(WorkspaceView.class),
                ResponseTypes.instanceOf(WorkspaceView.class)), 16);
    }

    private static List<WorkspaceView> updates(UpdateHandlerRegistration<Object> registration) {
        return registration.getUpdates().map(SubscriptionQueryUpdateMessage::getPayload).cast(WorkspaceView.class)
                .collectList().block(Duration.ofSeconds(5));
    }
}
