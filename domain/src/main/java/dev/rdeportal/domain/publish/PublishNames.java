package dev.rdeportal.domain.publish;

import java.util.Locale;

/**
 * The stable name of a published app: a DNS label made of the workspace's name and the request's
 * id, so two owners' workspaces of the same name never share a host, and the host never changes
 * while the app is published.
 */
public final class PublishNames {

    /** The preview-domain label suffix that marks a published app's host. */
    public static final String HOST_SUFFIX = "--pub";
    private static final int MAX = 40;

    private PublishNames() {
    }

    /** {@code <workspace-name-slug>-<request id tail>}, at most 40 characters, starting with a letter. */
    public static String of(String workspaceName, String requestId) {
        String slug = slug(workspaceName);
        String tail = slug(requestId.startsWith("pr-") ? requestId.substring(3) : requestId);
        if (tail.length() > 12) {
            tail = tail.substring(tail.length() - 12);
        }
        int room = MAX - tail.length() - 1;
        if (slug.length() > room) {
            slug = slug.substring(0, room).replaceAll("-+$", "");
        }
        if (slug.isEmpty() || !Character.isLetter(slug.charAt(0))) {
            slug = ("app-" + slug).substring(0, Math.min(room, 4 + slug.length())).replaceAll("-+$", "");
        }
        return slug + "-" + tail;
    }

    private static String slug(String value) {
        String s = value == null ? "" : value.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
        return s.replaceAll("-{2,}", "-").replaceAll("^-+|-+$", "");
    }
}
