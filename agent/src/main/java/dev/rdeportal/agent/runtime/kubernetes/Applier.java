package dev.rdeportal.agent.runtime.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;

/** How the runtime writes an object it owns; a seam because fabric8's mock server has no server-side apply. */
@FunctionalInterface
interface Applier {

    String FIELD_MANAGER = "rde-agent";

    /**
     * Server-side apply under one field manager: applying the same object again changes nothing,
     * a changed blueprint is a patch of the fields the agent owns, and fields set by controllers
     * (a bound PVC's volume name, defaults) are left alone — which a replace would not do.
     * Conflicts are forced: the agent is the owner of what it declares.
     */
    Applier SERVER_SIDE = (client, object) ->
            client.resource(object).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();

    /** Create, else replace with the latest version: for the mock server in tests only. */
    Applier CREATE_OR_REPLACE = (client, object) ->
            client.resource(object).createOr(NonDeletingOperation::update);

    void apply(KubernetesClient client, HasMetadata object);
}
