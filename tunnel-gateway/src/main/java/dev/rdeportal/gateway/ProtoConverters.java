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
        return publish(cmd.operationId(), cmd.requestId(), cmd.workspaceId(), cmd.publishName(), cmd.port(),
                cmd.startCommand());
    }

    /** The publish operation an approved request waits for, re-sent with its original id. */
    static Operation pendingPublish(PublishRequestView view) {
        return publish(view.operationId(), view.id(), view.workspaceId(), view.publishName(), view.port(),
                view.startCommand());
    }

    static Operation unpublish(DispatchUnpublishOperationCommand cmd) {
        return unpublish(cmd.operationId(), cmd.requestId(), cmd.workspaceId(), cmd.publishName());
    }

    /**
     * An operation a request waits for, re-sent with its original id: its publish while APPROVED,
     * its unpublish while UNPUBLISHING.
     */
    static Operation pending(PublishRequestView view) {
        return view.status() == PublishStatus.UNPUBLISHING
                ? unpublish(view.operationId(), view.id(), view.workspaceId(), view.publishName())
                : pendingPublish(view);
    }

    /** Queued with the workspace's operations on the agent, like the publish; the agent needs only the publish id. */
    private static Operation unpublish(String operationId, String requestId, String workspaceId, String name) {
        return Operation.newBuilder()
                .setOperationId(operationId)
                .setKind(dev.rdeportal.proto.v1.OperationKind.OPERATION_KIND_UNPUBLISH)
                .setSpec(dev.rdeportal.proto.v1.WorkspaceSpec.newBuilder().setWorkspaceId(text(workspaceId)))
                .setPublish(dev.rdeportal.proto.v1.PublishSpec.newBuilder()
                        .setPublishId(text(requestId))
                        .setWorkspaceId(text(workspaceId))
                        .setName(text(name)))
                .build();
    }

    private static Operation publish(String operationId, String requestId, String workspaceId, String name, int port,
                                     String startCommand) {
        return Operation.newBuilder()
                .setOperationId(operationId)
                .setKind(dev.rdeportal.proto.v1.OperationKind.OPERATION_KIND_PUBLISH)
                .setSpec(dev.rdeportal.proto.v1.WorkspaceSpec.newBuilder().setWorkspaceId(text(workspaceId)))
                .setPublish(dev.rdeportal.proto.v1.PublishSpec.newBuilder()
                        .setPublishId(text(requestId))
                        .setWorkspaceId(text(workspaceId))
                        .setName(text(name))
                        .setPort(port)
                        .setStartCommand(text(startCommand)))
                .build();
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
