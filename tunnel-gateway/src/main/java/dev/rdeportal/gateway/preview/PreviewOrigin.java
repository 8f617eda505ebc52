package dev.rdeportal.gateway.preview;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The origin of one workspace port: {@code <scheme>://p<port>--<workspace>.<domain>[:<public port>]}.
 * A workspace id is a lower-case UUID (DNS labels are case-insensitive, so upper case could not
 * survive a browser anyway), which keeps the label within DNS's 63 characters.
 */
public record PreviewOrigin(String workspaceId, int port) {

    private static final Pattern LABEL = Pattern.compile("p([1-9][0-9]{0,4})--([a-z0-9][a-z0-9-]{0,54})");

    public PreviewOrigin {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("not a port: " + port);
        }
    }

    /** The host name, without port. */
    public String host(String domain) {
        return "p" + port + "--" + workspaceId + "." + domain;
    }

    /** scheme://host[:port]/ — the port left out when it is the scheme's default. */
    public String url(String scheme, String domain, int publicPort) {
        boolean defaultPort = (scheme.equals("http") && publicPort == 80) || (scheme.equals("https") && publicPort == 443);
        return scheme + "://" + host(domain) + (defaultPort ? "" : ":" + publicPort);
    }

    /** Whether a Host header's name is under the preview domain at all. */
    static boolean underDomain(String hostName, String domain) {
        return hostName != null && hostName.toLowerCase(Locale.ROOT).endsWith("." + domain);
    }

    /**
     * The origin a Host header's name stands for; empty when the name is not
     * {@code p<port>--<workspace>.<domain>} exactly (one label before the domain).
     */
    static Optional<PreviewOrigin> parse(String hostName, String domain) {
        if (!underDomain(hostName, domain)) {
            return Optional.empty();
        }
        String label = hostName.toLowerCase(Locale.ROOT).substring(0, hostName.length() - domain.length() - 1);
        Matcher m = LABEL.matcher(label);
        if (!m.matches()) {
            return Optional.empty();
        }
        int port = Integer.parseInt(m.group(1));
        // A published app's ticket names its request ("pr-…") in place of a workspace: never a preview.
        return port > 65535 || m.group(2).startsWith("pr-") ? Optional.empty()
                : Optional.of(new PreviewOrigin(m.group(2), port));
    }
}
