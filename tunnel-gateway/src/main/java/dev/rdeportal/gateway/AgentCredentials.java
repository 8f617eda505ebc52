package dev.rdeportal.gateway;

import dev.rdeportal.domain.cluster.AgentCredentialView;
import dev.rdeportal.domain.cluster.FindAgentCredentialQuery;
import dev.rdeportal.proto.JoinToken;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;

/**
 * Verifies an agent's id and secret against the stored SHA-256 of the secret.
 *
 * <p>Verified credentials are remembered for a short while, so a reconnect storm or many channel
 * streams do not cost a query each; the price is that a revoked agent keeps working for up to that
 * long. Only successes are cached: a refusal is always re-checked, because the read model may not
 * yet know an agent that has just joined. Entries are added only for agents that proved their
 * secret, so an attacker cannot grow the cache.
 */
final class AgentCredentials {

    /** A credential known good until {@code expiresAt}. */
    private record Verified(String clusterId, String credentialHash, Instant expiresAt) {
    }

    private final QueryGateway queryGateway;
    private final Clock clock;
    private final Duration ttl;
    private final Duration queryTimeout;
    private final ConcurrentMap<String, Verified> cache = new ConcurrentHashMap<>();

    AgentCredentials(QueryGateway queryGateway, Clock clock, Duration ttl, Duration queryTimeout) {
        this.queryGateway = queryGateway;
        this.clock = clock;
        this.ttl = ttl;
        this.queryTimeout = queryTimeout;
    }

    /**
     * The cluster of the agent if {@code secret} is its credential, empty if not.
     *
     * @throws CredentialCheckUnavailable when the read side could not answer in time
     */
    Optional<String> verify(String agentId, String secret) {
        byte[] presented = JoinToken.sha256Hex(secret).getBytes(StandardCharsets.US_ASCII);
        Verified cached = remembered(agentId, presented);
        if (cached != null) {
            return Optional.of(cached.clusterId());
        }
        Optional<AgentCredentialView> stored = lookup(agentId);
        if (stored.isEmpty() || stored.get().credentialHash() == null
                || !MessageDigest.isEqual(presented,
                        stored.get().credentialHash().getBytes(StandardCharsets.US_ASCII))) {
            return Optional.empty();
        }
        remember(agentId, stored.get().clusterId(), stored.get().credentialHash());
        return Optional.of(stored.get().clusterId());
    }

    /**
     * Whether {@code secret} is the credential of {@code agentId} according to what is remembered
     * now: never asks the read side, so it never blocks. False means "not known", not "refused".
     */
    boolean knownGood(String agentId, String secret) {
        return remembered(agentId, JoinToken.sha256Hex(secret).getBytes(StandardCharsets.US_ASCII)) != null;
    }

    /** The remembered, unexpired credential of {@code agentId} if its hash is {@code presentedHash}; else null. */
    private Verified remembered(String agentId, byte[] presentedHash) {
        Verified cached = cache.get(agentId);
        return cached != null && clock.instant().isBefore(cached.expiresAt())
                && MessageDigest.isEqual(presentedHash, cached.credentialHash().getBytes(StandardCharsets.US_ASCII))
                ? cached : null;
    }

    /** Called right after a successful join: the read model may lag the join by a few milliseconds. */
    void remember(String agentId, String clusterId, String credentialHash) {
        Instant now = clock.instant();
        if (cache.size() > 10_000) {
            cache.values().removeIf(v -> !now.isBefore(v.expiresAt()));
        }
        cache.put(agentId, new Verified(clusterId, credentialHash, now.plus(ttl)));
    }

    private Optional<AgentCredentialView> lookup(String agentId) {
        CompletableFuture<Optional<AgentCredentialView>> answer = queryGateway.query(
                new FindAgentCredentialQuery(agentId), ResponseTypes.optionalInstanceOf(AgentCredentialView.class));
        try {
            Optional<AgentCredentialView> view = answer.get(queryTimeout.toMillis(), TimeUnit.MILLISECONDS);
            return view == null ? Optional.empty() : view;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CredentialCheckUnavailable(e);
        } catch (Exception e) {
            throw new CredentialCheckUnavailable(e);
        }
    }

    /** The read side did not answer: not the agent's fault, so not a refusal. */
    static final class CredentialCheckUnavailable extends RuntimeException {
        CredentialCheckUnavailable(Throwable cause) {
            super("agent credential lookup failed: " + cause, cause);
        }
    }
}
