package dev.rdeportal.portal.server.embedded;

import dev.rdeportal.domain.MetaDataKeys;
import dev.rdeportal.domain.blueprint.BlueprintDefinition;
import dev.rdeportal.domain.blueprint.CreateBlueprintCommand;
import dev.rdeportal.domain.blueprint.Resources;
import dev.rdeportal.domain.cluster.IssueJoinTokenCommand;
import dev.rdeportal.domain.cluster.RegisterClusterCommand;
import dev.rdeportal.gateway.JoinTokenIssuer;
import dev.rdeportal.gateway.TunnelServer;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.MetaData;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;

/**
 * Makes a fresh install useful at once: registers the {@code local} cluster, creates the sample
 * blueprint, and starts the local agent. Every step is an ordinary command (so it is in the audit
 * history, by {@code system}) and safe to repeat on every start.
 */
@Component
@ConditionalOnProperty(name = "rde.embedded.enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(EmbeddedProperties.class)
class EmbeddedBootstrap implements ApplicationListener<ApplicationReadyEvent> {

    private static final Logger log = LoggerFactory.getLogger("rde.embedded");
    private static final MetaData SYSTEM = MetaData.with(MetaDataKeys.ACTOR, MetaDataKeys.SYSTEM)
            .and(MetaDataKeys.CLIENT_IP, "127.0.0.1");

    private final EmbeddedProperties properties;
    private final CommandGateway commands;
    private final JoinTokenIssuer tokens;
    private final TunnelServer tunnel;
    private final LocalAgentProcess agent;

    EmbeddedBootstrap(EmbeddedProperties properties, CommandGateway commands, JoinTokenIssuer tokens,
                      TunnelServer tunnel, LocalAgentProcess agent) {
        this.properties = properties;
        this.commands = commands;
        this.tokens = tokens;
        this.tunnel = tunnel;
        this.agent = agent;
    }

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        Optional<String> joinToken = ensureCluster();
        if (properties.sampleBlueprint()) {
            ensureSampleBlueprint();
        }
        if (properties.agentEnabled()) {
            agent.start(tunnel.port(), joinToken);
        }
    }

    /** Answers a join token when the local agent has no credential yet. */
    private Optional<String> ensureCluster() {
        boolean agentHasCredential = Files.exists(properties.agentDataDir().resolve("credential.json"));
        var token = tokens.issue(EmbeddedProperties.CLUSTER_ID);
        boolean created = sendIfNew(new RegisterClusterCommand(EmbeddedProperties.CLUSTER_ID, "This machine",
                token.secretHash(), MetaDataKeys.SYSTEM));
        if (created) {
            log.info("registered the local cluster");
            return Optional.of(token.token());
        }
        if (agentHasCredential) {
            return Optional.empty();
        }
        commands.sendAndWait(GenericCommandMessage.asCommandMessage(
                new IssueJoinTokenCommand(EmbeddedProperties.CLUSTER_ID, token.secretHash(), MetaDataKeys.SYSTEM))
                .andMetaData(SYSTEM));
        return Optional.of(token.token());
    }

    private void ensureSampleBlueprint() {
        var sample = new BlueprintDefinition("sample", EmbeddedProperties.CLUSTER_ID, "debian:12",
                new Resources(1000, 1024, 5), List.of(8000), Map.of("GREETING", "Hello from your workspace"),
                "exec python3 -m http.server \"$PORT\" --bind 127.0.0.1");
        if (sendIfNew(new CreateBlueprintCommand(EmbeddedProperties.SAMPLE_BLUEPRINT_ID, sample, MetaDataKeys.SYSTEM))) {
            log.info("created the sample blueprint {}", EmbeddedProperties.SAMPLE_BLUEPRINT_ID);
        }
    }

    /** Creation commands fail when the aggregate exists already: that is the repeat-safe path. */
    private boolean sendIfNew(Object creation) {
        try {
            commands.sendAndWait(GenericCommandMessage.asCommandMessage(creation).andMetaData(SYSTEM));
            return true;
        } catch (RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof AggregateStreamCreationException) {
                    log.debug("{} exists already", creation.getClass().getSimpleName());
                    return false;
                }
            }
            throw e;
        }
    }
}
