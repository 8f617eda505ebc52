package dev.rdeportal.gateway;

/**
 * A freshly issued join token: {@code token} is shown to the admin once and never stored;
 * {@code secretHash} goes into {@code RegisterClusterCommand}/{@code IssueJoinTokenCommand}.
 * {@link #toString()} leaves the token out, so the record cannot leak it into a log line.
 */
public record IssuedJoinToken(String token, String secretHash) {

    @Override
    public String toString() {
        return "IssuedJoinToken[secretHash=" + secretHash + "]";
    }
}
