package dev.rdeportal.portal.server.embedded;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The embedded default ({@code rde.embedded.*}): a local cluster, a local agent started as its own
 * process over the real TLS tunnel on loopback, and a sample blueprint.
 *
 * @param agentEnabled    start the local agent process
 * @param agentJar        the agent executable; found next to the build by default
 * @param agentDataDir    the agent's credential and workspaces
 * @param sampleBlueprint create the sample blueprint on first start
 * @param agentLogFile    where the agent's output goes (appended); by default the portal's own
 */
@ConfigurationProperties("rde.embedded")
public record EmbeddedProperties(Boolean enabled, Boolean agentEnabled, Path agentJar, Path agentDataDir,
                                 Boolean sampleBlueprint, Path agentLogFile) {

    public EmbeddedProperties {
        enabled = enabled == null || enabled;
        agentEnabled = agentEnabled == null || agentEnabled;
        sampleBlueprint = sampleBlueprint == null || sampleBlueprint;
        if (agentDataDir == null) {
            agentDataDir = Path.of("data", "agent");
        }
    }

    public static final String CLUSTER_ID = "local";
    public static final String SAMPLE_BLUEPRINT_ID = "bp-sample";
}
