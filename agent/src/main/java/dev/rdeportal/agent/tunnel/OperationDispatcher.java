package dev.rdeportal.agent.tunnel;

import dev.rdeportal.agent.runtime.PublishState;
import dev.rdeportal.agent.runtime.WorkspacePhase;
import dev.rdeportal.agent.runtime.WorkspaceRuntime;
import dev.rdeportal.agent.runtime.WorkspaceRuntimeException;
import dev.rdeportal.agent.runtime.WorkspaceSpec;
import dev.rdeportal.agent.runtime.WorkspaceState;
import dev.rdeportal.proto.v1.Operation;
import dev.rdeportal.proto.v1.OperationResult;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies operations on worker threads: one workspace's operations strictly in arrival order
 * (a stop must not overtake the provision before it), different workspaces in parallel. Every
 * operation id is applied at most once; see {@link OperationJournal}.
 */
final class OperationDispatcher {

    /** More pending operations than this means the gateway is flooding us; refuse instead of queueing. */
    static final int MAX_PENDING = 1024;
    private static final Logger log = LoggerFactory.getLogger("rde.agent.operations");

    private final WorkspaceRuntime runtime;
    private final OperationJournal journal;
    private final Executor workers;
    private final Consumer<String> ending;
    /** Per workspace, the completion of its most recently queued operation; guarded by {@code this}. */
    private final Map<String, CompletableFuture<Void>> tails = new HashMap<>();
    private final AtomicInteger pending = new AtomicInteger();

    OperationDispatcher(WorkspaceRuntime runtime, OperationJournal journal, Executor workers) {
        this(runtime, journal, workers, workspaceId -> { });
    }

    /** @param ending told before a workspace is stopped or deleted, so its terminals end first */
    OperationDispatcher(WorkspaceRuntime runtime, OperationJournal journal, Executor workers, Consumer<String> ending) {
        this.runtime = runtime;
        this.journal = journal;
        this.workers = workers;
        this.ending = ending;
    }

    /** Queues an operation; {@code reply} gets exactly one result, on a worker thread. */
    void submit(Operation operation, Consumer<OperationResult> reply) {
        String workspaceId = operation.getSpec().getWorkspaceId();
        if (pending.incrementAndGet() > MAX_PENDING) {
            pending.decrementAndGet();
            reply.accept(failure(operation, "agent busy: more than " + MAX_PENDING + " operations pending"));
            return;
        }
        synchronized (this) {
            CompletableFuture<Void> previous = tails.getOrDefault(workspaceId, CompletableFuture.completedFuture(null));
            // exceptionally(): a failed predecessor must not stall the workspace's queue.
            CompletableFuture<Void> next = previous.exceptionally(e -> null)
                    .thenRunAsync(() -> apply(operation, reply), workers);
            next.whenComplete((ignored, error) -> {
                pending.decrementAndGet();
                if (error != null) {
                    log.error("operation {} on workspace {} was not run: {}", operation.getOperationId(), workspaceId, error.toString());
                    reply.accept(failure(operation, "agent could not run the operation: " + error.getMessage()));
                }
                synchronized (this) {
                    tails.remove(workspaceId, next);
                }
            });
            tails.put(workspaceId, next);
        }
    }

    private void apply(Operation operation, Consumer<OperationResult> reply) {
        String operationId = operation.getOperationId();
        String workspaceId = operation.getSpec().getWorkspaceId();
        if (operationId.isBlank()) {
            reply.accept(failure(operation, "operation without id for workspace " + workspaceId));
            return;
        }
        Optional<JournalEntry> recorded = journal.find(operationId);
        if (recorded.isPresent()) {
            // Applied before: same answer, but the state as it is now (it may have changed since).
            log.info("operation {} ({} {}) already applied; answering the recorded result",
                    operationId, recorded.get().kind(), workspaceId);
            reply.accept(result(recorded.get(), current(workspaceId), operation));
            return;
        }
        JournalEntry entry = execute(operation);
        try {
            journal.record(entry);
        } catch (IOException e) {
            // Unanswered on purpose: an answer without a record would let a re-send apply it again.
            // The control plane's deadline re-sends it, and every runtime call is idempotent.
            log.error("operation {} on workspace {} applied but not recorded, so not answered: {}",
                    operationId, workspaceId, e.toString());
            return;
        }
        reply.accept(result(entry, entry.state(), operation));
    }

    private JournalEntry execute(Operation operation) {
        String kind = kindName(operation);
        String workspaceId = operation.getSpec().getWorkspaceId();
        try {
            WorkspaceState state = switch (operation.getKind()) {
                case OPERATION_KIND_PROVISION -> runtime.provision(ProtoMapping.spec(operation.getSpec()));
                case OPERATION_KIND_START -> runtime.start(ProtoMapping.spec(operation.getSpec()));
                case OPERATION_KIND_STOP -> {
                    ending.accept(WorkspaceSpec.requireValidId(workspaceId));
                    yield runtime.stop(workspaceId);
                }
                case OPERATION_KIND_DELETE -> {
                    ending.accept(WorkspaceSpec.requireValidId(workspaceId));
                    runtime.delete(WorkspaceSpec.requireValidId(workspaceId));
                    yield WorkspaceState.missing(workspaceId);
                }
                case OPERATION_KIND_PUBLISH -> {
                    // Queued with the workspace's own operations: the snapshot never races a stop or delete.
                    PublishState app = runtime.publish(ProtoMapping.publish(operation.getPublish()));
                    if (app.phase() != WorkspacePhase.RUNNING) {
                        throw new WorkspaceRuntimeException("published app " + app.name() + " is "
                                + app.phase().name().toLowerCase() + (app.reason().isEmpty() ? "" : ": " + app.reason()));
                    }
                    log.info("operation {}: published app {} of workspace {} at {}", operation.getOperationId(),
                            app.name(), workspaceId, app.endpoint());
                    yield current(workspaceId);
                }
                case OPERATION_KIND_UNPUBLISH -> {
                    runtime.unpublish(WorkspaceSpec.requireValidId(operation.getPublish().getPublishId()));
                    yield current(workspaceId);
                }
                default -> throw new IllegalArgumentException("unsupported operation kind " + operation.getKindValue());
            };
            log.info("operation {}: {} workspace {} -> {}", operation.getOperationId(), kind, workspaceId, state.phase());
            return new JournalEntry(operation.getOperationId(), kind, workspaceId, true, "", state, journal.now());
        } catch (IllegalArgumentException | WorkspaceRuntimeException e) {
            String reason = kind + " workspace " + workspaceId + ": " + e.getMessage();
            log.warn("operation {} failed: {}", operation.getOperationId(), reason);
            return new JournalEntry(operation.getOperationId(), kind, workspaceId, false, reason, current(workspaceId), journal.now());
        } catch (RuntimeException e) {
            String reason = kind + " workspace " + workspaceId + ": internal agent error: " + e;
            log.error("operation {} failed", operation.getOperationId(), e);
            return new JournalEntry(operation.getOperationId(), kind, workspaceId, false, reason, current(workspaceId), journal.now());
        }
    }

    private WorkspaceState current(String workspaceId) {
        try {
            return runtime.state(workspaceId);
        } catch (RuntimeException e) {
            return WorkspaceState.missing(workspaceId);
        }
    }

    private OperationResult result(JournalEntry entry, WorkspaceState state, Operation operation) {
        OperationResult.Builder result = OperationResult.newBuilder()
                .setOperationId(entry.operationId())
                .setSuccess(entry.success())
                .setReason(entry.reason())
                .setState(ProtoMapping.state(state, journal.lastOperation(state.workspaceId())));
        if (operation.hasPublish()) {
            // The app as it is now, also when a re-sent operation is answered from the journal.
            result.setPublished(ProtoMapping.published(published(operation.getPublish().getPublishId())));
        }
        return result.build();
    }

    private PublishState published(String publishId) {
        try {
            return runtime.published().stream().filter(p -> p.publishId().equals(publishId)).findFirst()
                    .orElseGet(() -> PublishState.missing(publishId));
        } catch (RuntimeException e) {
            return PublishState.missing(publishId);
        }
    }

    private static OperationResult failure(Operation operation, String reason) {
        return OperationResult.newBuilder()
                .setOperationId(operation.getOperationId())
                .setSuccess(false)
                .setReason(reason)
                .build();
    }

    private static String kindName(Operation operation) {
        return switch (operation.getKind()) {
            case OPERATION_KIND_PROVISION -> "provision";
            case OPERATION_KIND_START -> "start";
            case OPERATION_KIND_STOP -> "stop";
            case OPERATION_KIND_DELETE -> "delete";
            case OPERATION_KIND_PUBLISH -> "publish";
            case OPERATION_KIND_UNPUBLISH -> "unpublish";
            default -> "operation";
        };
    }
}
