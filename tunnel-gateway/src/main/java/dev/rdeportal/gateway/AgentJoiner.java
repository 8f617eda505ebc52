package dev.rdeportal.gateway;

import dev.rdeportal.domain.cluster.AgentJoinRefusedEvent;
import dev.rdeportal.domain.cluster.JoinAgentCommand;
import dev.rdeportal.proto.JoinToken;
import dev.rdeportal.proto.ProtocolVersions;
import dev.rdeportal.proto.v1.JoinRequest;
import dev.rdeportal.proto.v1.JoinResponse;
import io.grpc.Status;
import io.grpc.StatusException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.gateway.EventGateway;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exchanges a one-time join token for an agent credential.
 *
 * <p>The gateway makes up the agent id and secret, sends only the SHA-256 of the token's secret and
 * of the new agent secret to the cluster aggregate, and hands the secret to the agent once. Every
 * refusal answers the same {@code UNAUTHENTICATED "join token refused"}, whatever the reason, so a
 * caller cannot probe which clusters exist or which part of a token was wrong; the reason goes
 * into the audit trail ({@link AgentJoinRefusedEvent}) instead.
 */
final class AgentJoiner {

    private static final Logger log = LoggerFactory.getLogger(AgentJoiner.class);

    private static final String ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final java.util.regex.Pattern AGENT_ID = java.util.regex.Pattern.compile("agent-[a-z0-9]{12}");
    private static final java.util.regex.Pattern SECRET = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final int MAX_HOSTNAME = 253;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final CommandGateway commands;
    private final EventGateway events;
    private final AgentCredentials credentials;
    private final Duration timeout;

    AgentJoiner(CommandGateway commands, EventGateway events, AgentCredentials credentials, Duration timeout) {
        this.commands = commands;
        this.events = events;
        this.credentials = credentials;
        this.timeout = timeout;
    }

    /** Completes with the response, or exceptionally with a {@link StatusException}. */
    CompletableFuture<JoinResponse> join(JoinRequest request, String remoteHost) {
        String hostname = hostname(request.getHostname());
        // Checked before the token is spent: an agent too new or too old must keep its token usable.
        if (request.hasVersion() && !ProtocolVersions.supported(request.getVersion())) {
            return CompletableFuture.failedFuture(Status.FAILED_PRECONDITION
                    .withDescription("agent speaks protocol " + ProtocolVersions.format(request.getVersion())
                            + ", gateway supports major " + ProtocolVersions.MAJOR)
                    .asException());
        }
        JoinToken token;
        try {
            token = JoinToken.parse(request.getJoinToken());
        } catch (IllegalArgumentException e) {
            return refused(null, hostname, remoteHost, "malformed join token");
        }
        String clusterId = token.clusterId();
        boolean proposed = !request.getAgentId().isEmpty() || !request.getAgentSecret().isEmpty();
        if (proposed && (!AGENT_ID.matcher(request.getAgentId()).matches()
                || !SECRET.matcher(request.getAgentSecret()).matches())) {
            return refused(clusterId, hostname, remoteHost, "malformed proposed agent credential");
        }
        // A proposing agent (1.2) may repeat a join whose answer it lost; the aggregate recognises
        // the same agent id, secret and token and answers as the first time.
        String agentId = proposed ? request.getAgentId() : newAgentId();
        String secret = proposed ? request.getAgentSecret() : JoinToken.randomSecret();
        String credentialHash = JoinToken.sha256Hex(secret);
        CompletableFuture<Boolean> accepted;
        try {
            accepted = commands.send(new JoinAgentCommand(clusterId, token.secretHash(), agentId, credentialHash,
                    hostname), AgentPrincipal.CommandMetaData.agent(agentId, remoteHost));
        } catch (RuntimeException e) {
            accepted = CompletableFuture.failedFuture(e);
        }
        return accepted.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .handle((answer, error) -> {
                    if (error == null && Boolean.TRUE.equals(answer)) {
                        credentials.remember(agentId, clusterId, credentialHash);
                        log.info("agent {} on {} joined cluster {} from {}", agentId, hostname, clusterId, remoteHost);
                        return JoinResponse.newBuilder()
                                .setAgentId(agentId)
                                .setClusterId(clusterId)
                                .setAgentSecret(secret)
                                .build();
                    }
                    if (error == null) {
                        // The aggregate has recorded the refusal itself.
                        log.warn("join of {} from {} to cluster {} refused: token not accepted", hostname, remoteHost,
                                clusterId);
                        throw new CompletionException(refusal());
                    }
                    if (causedBy(error, AggregateNotFoundException.class)) {
                        recordRefusal(clusterId, hostname, remoteHost, "unknown cluster");
                        throw new CompletionException(refusal());
                    }
                    log.error("join of {} from {} to cluster {} failed", hostname, remoteHost, clusterId, error);
                    throw new CompletionException(Status.UNAVAILABLE
                            .withDescription("join could not be completed; retry").asException());
                });
    }

    private CompletableFuture<JoinResponse> refused(String clusterId, String hostname, String remoteHost,
                                                    String reason) {
        recordRefusal(clusterId, hostname, remoteHost, reason);
        return CompletableFuture.failedFuture(refusal());
    }

    private void recordRefusal(String clusterId, String hostname, String remoteHost, String reason) {
        log.warn("join of {} from {} refused: {}", hostname, remoteHost, reason);
        try {
            events.publish(List.of(GenericEventMessage.asEventMessage(
                            new AgentJoinRefusedEvent(clusterId, hostname, reason))
                    .andMetaData(AgentPrincipal.CommandMetaData.system(remoteHost))));
        } catch (RuntimeException e) {
            log.error("cannot record the refused join of {} from {}", hostname, remoteHost, e);
        }
    }

    private static StatusException refusal() {
        return Status.UNAUTHENTICATED.withDescription("join token refused").asException();
    }

    private static boolean causedBy(Throwable error, Class<? extends Throwable> type) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** The hostname is the caller's word, written into the audit trail before any check: keep it tame. */
    static String hostname(String claimed) {
        String cleaned = claimed == null ? "" : claimed.codePoints()
                .filter(c -> !Character.isISOControl(c))
                .limit(MAX_HOSTNAME)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString().trim();
        return cleaned.isEmpty() ? "unknown" : cleaned;
    }

    static String newAgentId() {
        StringBuilder id = new StringBuilder("agent-");
        for (int i = 0; i < 12; i++) {
            id.append(ID_ALPHABET.charAt(RANDOM.nextInt(ID_ALPHABET.length())));
        }
        return id.toString();
    }
}
