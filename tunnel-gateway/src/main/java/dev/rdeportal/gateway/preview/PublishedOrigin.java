package dev.rdeportal.gateway.preview;

import dev.rdeportal.domain.publish.PublishNames;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The origin of a published app: {@code <scheme>://<name>--pub.<preview domain>[:<public port>]},
 * where {@code name} is the app's stable name ({@link PublishNames}). It never parses as a
 * workspace preview ({@code p<port>--<workspace>}): a name always holds a '-' before its last
 * part, so it is never {@code p} and digits alone.
 */
public final class PublishedOrigin {

    private static final Pattern LABEL = Pattern.compile("([a-z]([-a-z0-9]{0,38}[a-z0-9])?)"
            + Pattern.quote(PublishNames.HOST_SUFFIX));

    private PublishedOrigin() {
    }

    /** Where members reach the app published under {@code name}. */
    public static String url(PreviewProperties properties, int portalPort, String name) {
        int port = properties.publicPort() == 0 ? portalPort : properties.publicPort();
        String scheme = properties.scheme();
        boolean defaultPort = (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
        return scheme + "://" + name + PublishNames.HOST_SUFFIX + "." + properties.domain() + (defaultPort ? "" : ":" + port);
    }

    /** The published app's name a Host header's name stands for, if it is one (one label before the domain). */
    static Optional<String> parse(String hostName, String domain) {
        if (!PreviewOrigin.underDomain(hostName, domain)) {
            return Optional.empty();
        }
        String label = hostName.toLowerCase(Locale.ROOT).substring(0, hostName.length() - domain.length() - 1);
        Matcher m = LABEL.matcher(label);
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }
}
