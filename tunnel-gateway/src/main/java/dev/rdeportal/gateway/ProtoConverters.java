package dev.rdeportal.gateway;

import dev.rdeportal.domain.publish.DispatchPublishOperationCommand;
import dev.rdeportal.domain.publish.DispatchUnpublishOperationCommand;
import dev.rdeportal.domain.publish.PublishRequestView;
import dev.rdeportal.domain.publish.PublishStatus;
import dev.rdeportal.domain.workspace.DispatchWorkspaceOperationCommand;
import dev.rdeportal.domain.workspace.ObservedPhase;
import dev.rdeportal.domain.workspace.OperationKind;
import dev.rdeportal.domain.workspace.WorkspaceSpec;
import dev.rdeportal.domain.workspace.WorkspaceView;
import dev.rdeportal.proto.v1.Operation;
import dev.rdeportal.proto.v1.WorkspacePhase;

/** Domain records to protocol messages and back. Protobuf refuses nulls; absent text becomes "". */
final class ProtoConverters {

    private ProtoConverters() {
    }

    static Operation operation(DispatchWorkspaceOperationCommand cmd) {
        return operation(cmd.operationId(), cmd.kind(), cmd.workspaceId(), cmd.name(), cmd.owner(),
                cmd.blueprintId(), cmd.spec());
    }

    /** The operation a view is waiting for, re-sent with its original id. */
    static Operation pendingOperation(WorkspaceView view) {
        return operation(view.pendingOperationId(), view.pendingOperation(), view.id(), view.name(), view.owner(),
                view.blueprintId(), view.spec());
    }

    static Operation operation(String operationId, OperationKind kind, String workspaceId, String name, String owner,
                               String blueprintId, WorkspaceSpec spec) {
        dev.rdeportal.proto.v1.WorkspaceSpec.Builder proto = dev.rdeportal.proto.v1.WorkspaceSpec.newBuilder()
                .setWorkspaceId(text(workspaceId))
                .setName(text(name))
                .setOwner(text(owner))
                .setBlueprintId(text(blueprintId));
        if (spec != null) {
            proto.setImage(text(spec.image()))
                    .setCpuMillis(spec.cpuMillis())
                    .setMemoryMib(spec.memoryMib())
                    .setStorageGib(spec.storageGib())
                    .addAllPorts(spec.ports())
                    .putAllEnv(spec.env())
                    .setStartCommand(text(spec.startCommand()));
        }
        return Operation.newBuilder()
                .setOperationId(operationId)
                .setKind(kind(kind))
                .setSpec(proto)
                .build();
    }

    static Operation publish(DispatchPublishOperationCommand cmd) {
        return publishOperation(dev.rdeportal.proto.v1.OperationKind.OPERATION_KIND_PUBLISH, cmd.operationId(),
                cmd.workspaceId(), app(cmd.requestId(), cmd.workspaceId(), cmd.publishName())
                        .setPort(cmd.port())
                        .setStartCommand(text(cmd.startCommand())));
    }

    /** Only the publish id is needed to remove the app. */
    static Operation unpublish(DispatchUnpublishOperationCommand cmd) {
        return publishOperation(dev.rdeportal.proto.v1.OperationKind.OPERATION_KIND_UNPUBLISH, cmd.operationId(),
                cmd.workspaceId(), app(cmd.requestId(), cmd.workspaceId(), cmd.publishName()));
    }

    /**
     * The operation a request waits for, re-sent with its original id: its publish while APPROVED,
     * its unpublish while UNPUBLISHING.
     */
    static Operation pending(PublishRequestView view) {
        return view.status() == PublishStatus.UNPUBLISHING
                ? unpublish(new DispatchUnpublishOperationCommand(view.clusterId(), view.id(), view.operationId(),
                        view.workspaceId(), view.publishName()))
                : publish(new DispatchPublishOperationCommand(view.clusterId(), view.id(), view.operationId(),
                        view.workspaceId(), view.publishName(), view.port(), view.startCommand()));
    }

    /** Queued with the workspace's own operations on the agent, so that it never races a stop or delete. */
    private static Operation publishOperation(dev.rdeportal.proto.v1.OperationKind kind, String operationId,
                                              String workspaceId, dev.rdeportal.proto.v1.PublishSpec.Builder app) {
        return Operation.newBuilder()
                .setOperationId(operationId)
                .setKind(kind)
                .setSpec(dev.rdeportal.proto.v1.WorkspaceSpec.newBuilder().setWorkspaceId(text(workspaceId)))
                .setPublish(app)
                .build();
    }

    private static dev.rdeportal.proto.v1.PublishSpec.Builder app(String requestId, String workspaceId, String name) {
        return dev.rdeportal.proto.v1.PublishSpec.newBuilder()
                .setPublishId(text(requestId))
                .setWorkspaceId(text(workspaceId))
                .setName(text(name));
    }

    static WorkspaceSpec spec(dev.rdeportal.proto.v1.WorkspaceSpec proto) {
        return new WorkspaceSpec(
                proto.getImage().isEmpty() ? null : proto.getImage(),
                proto.getCpuMillis(),
                proto.getMemoryMib(),
                proto.getStorageGib(),
                proto.getPortsList(),
                proto.getEnvMap(),
                proto.getStartCommand().isEmpty() ? null : proto.getStartCommand());
    }

    static dev.rdeportal.proto.v1.OperationKind kind(OperationKind kind) {
        return switch (kind) {
            case PROVISION -> dev.rdeportal.proto.v1.OperationKind.OPERATION_KIND_PROVISION;
            case START -> dev.rdeportal.proto.v1.OperationKind.OPERATION_KIND_START;
            case STOP -> dev.rdeportal.proto.v1.OperationKind.OPERATION_KIND_STOP;
            case DELETE -> dev.rdeportal.proto.v1.OperationKind.OPERATION_KIND_DELETE;
        };
    }

    /** Null for a kind this build does not know (UNSPECIFIED, or one added by a newer minor). */
    static OperationKind kind(dev.rdeportal.proto.v1.OperationKind kind) {
        return switch (kind) {
            case OPERATION_KIND_PROVISION -> OperationKind.PROVISION;
            case OPERATION_KIND_START -> OperationKind.START;
            case OPERATION_KIND_STOP -> OperationKind.STOP;
            case OPERATION_KIND_DELETE -> OperationKind.DELETE;
            default -> null;
        };
    }

    static WorkspacePhase phase(ObservedPhase phase) {
        return switch (phase) {
            case RUNNING -> WorkspacePhase.WORKSPACE_PHASE_RUNNING;
            case STOPPED -> WorkspacePhase.WORKSPACE_PHASE_STOPPED;
            case MISSING -> WorkspacePhase.WORKSPACE_PHASE_MISSING;
            case FAILED -> WorkspacePhase.WORKSPACE_PHASE_FAILED;
        };
    }

    /** Null for a phase the agent did not state (UNSPECIFIED, or one added by a newer minor). */
    static ObservedPhase phase(WorkspacePhase phase) {
        return switch (phase) {
            case WORKSPACE_PHASE_RUNNING -> ObservedPhase.RUNNING;
            case WORKSPACE_PHASE_STOPPED -> ObservedPhase.STOPPED;
            case WORKSPACE_PHASE_MISSING -> ObservedPhase.MISSING;
            case WORKSPACE_PHASE_FAILED -> ObservedPhase.FAILED;
            default -> null;
        };
    }

    private static String text(String value) {
        return value == null ? "" : value;
    }
}
