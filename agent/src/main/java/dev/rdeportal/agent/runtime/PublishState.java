package dev.rdeportal.agent.runtime;

import java.util.Objects;

/**
 * What a runtime observes about one published app.
 *
 * @param phase    RUNNING once the app's process (or pod) runs; STOPPED while it starts or after it
 *                 exited; FAILED when it cannot start; MISSING when nothing is published under the id
 * @param endpoint where the app is reached from beside the runtime: {@code 127.0.0.1:<port>} locally,
 *                 the Service's cluster DNS name and port in Kubernetes; empty when MISSING
 * @param reason   why it is in this phase, when that is not obvious; never null
 */
public record PublishState(String publishId, String name, WorkspacePhase phase, String endpoint, String reason) {

    public PublishState {
        Objects.requireNonNull(publishId, "publishId");
        Objects.requireNonNull(phase, "phase");
        name = name == null ? "" : name;
        endpoint = endpoint == null ? "" : endpoint;
        reason = reason == null ? "" : reason;
    }

    public static PublishState missing(String publishId) {
        return new PublishState(publishId, "", WorkspacePhase.MISSING, "", "");
    }
}
