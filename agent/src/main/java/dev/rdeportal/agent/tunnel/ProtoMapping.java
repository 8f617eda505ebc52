package dev.rdeportal.agent.tunnel;

import dev.rdeportal.agent.runtime.WorkspacePhase;
import dev.rdeportal.agent.runtime.WorkspaceSpec;
import dev.rdeportal.proto.v1.WorkspaceState;
import java.util.ArrayList;
import java.util.Optional;

/** Runtime records to and from the wire; the runtime SPI never sees generated classes. */
final class ProtoMapping {

    private ProtoMapping() {
    }

    static WorkspaceSpec spec(dev.rdeportal.proto.v1.WorkspaceSpec spec) {
        return new WorkspaceSpec(spec.getWorkspaceId(), spec.getName(), spec.getOwner(), spec.getBlueprintId(),
                spec.getImage(), spec.getCpuMillis(), spec.getMemoryMib(), spec.getStorageGib(),
                new ArrayList<>(spec.getPortsList()), spec.getEnvMap(), spec.getStartCommand());
    }

    static dev.rdeportal.agent.runtime.PublishSpec publish(dev.rdeportal.proto.v1.PublishSpec spec) {
        return new dev.rdeportal.agent.runtime.PublishSpec(spec.getPublishId(), spec.getWorkspaceId(), spec.getName(),
                spec.getPort(), spec.getStartCommand());
    }

    static dev.rdeportal.proto.v1.PublishedApp published(dev.rdeportal.agent.runtime.PublishState state) {
        return dev.rdeportal.proto.v1.PublishedApp.newBuilder()
                .setPublishId(state.publishId())
                .setName(state.name())
                .setPhase(phase(state.phase()))
                .setEndpoint(state.endpoint())
                .setReason(state.reason())
                .build();
    }

    static WorkspaceState state(dev.rdeportal.agent.runtime.WorkspaceState state, Optional<String> lastOperationId) {
        WorkspaceState.Builder builder = WorkspaceState.newBuilder()
                .setWorkspaceId(state.workspaceId())
                .setPhase(phase(state.phase()))
                .setReason(state.reason());
        state.ports().forEach(builder::putPorts);
        lastOperationId.ifPresent(builder::setLastOperationId);
        return builder.build();
    }

    static dev.rdeportal.proto.v1.WorkspacePhase phase(WorkspacePhase phase) {
        return switch (phase) {
            case RUNNING -> dev.rdeportal.proto.v1.WorkspacePhase.WORKSPACE_PHASE_RUNNING;
            case STOPPED -> dev.rdeportal.proto.v1.WorkspacePhase.WORKSPACE_PHASE_STOPPED;
            case MISSING -> dev.rdeportal.proto.v1.WorkspacePhase.WORKSPACE_PHASE_MISSING;
            case FAILED -> dev.rdeportal.proto.v1.WorkspacePhase.WORKSPACE_PHASE_FAILED;
        };
    }
}
