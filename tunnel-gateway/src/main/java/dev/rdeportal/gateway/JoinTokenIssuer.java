package dev.rdeportal.gateway;

import dev.rdeportal.domain.Validation;
import dev.rdeportal.proto.JoinToken;

/**
 * Issues one-time join tokens that carry this gateway's CA fingerprint, so an agent can pin the CA
 * on first contact. The portal sends the hash with {@code RegisterClusterCommand} or
 * {@code IssueJoinTokenCommand} and shows the token once.
 */
public final class JoinTokenIssuer {

    private final TlsMaterial tls;

    JoinTokenIssuer(TlsMaterial tls) {
        this.tls = tls;
    }

    /** @throws dev.rdeportal.domain.DomainException if {@code clusterId} is not a valid cluster id */
    public IssuedJoinToken issue(String clusterId) {
        Validation.name("clusterId", clusterId);
        JoinToken token = JoinToken.generate(clusterId, tls.caFingerprint());
        return new IssuedJoinToken(token.encode(), token.secretHash());
    }
}
