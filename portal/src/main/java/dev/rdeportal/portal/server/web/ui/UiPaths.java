package dev.rdeportal.portal.server.web.ui;

import java.util.List;

/** Which request paths belong to the UI rather than to the API and the portal's own endpoints. */
public final class UiPaths {

    /** Served by controllers, actuator and springdoc: never answered with the UI. */
    private static final List<String> NOT_UI = List.of("/api", "/actuator", "/v3", "/swagger-ui", "/webjars");

    private UiPaths() {
    }

    /** Anything not claimed by the API or the portal's endpoints: the UI's pages and assets. */
    public static boolean isUi(String path) {
        for (String prefix : NOT_UI) {
            if (path.equals(prefix) || path.startsWith(prefix + "/") || path.startsWith(prefix + ".")) {
                return false;
            }
        }
        return true;
    }

    /**
     * A route the UI resolves in the browser: no file extension in its last segment, so that a
     * missing asset stays a 404 instead of becoming a page.
     */
    static boolean isClientRoute(String path) {
        if (!isUi(path) || isHashedAsset(path)) {
            return false;
        }
        return !path.substring(path.lastIndexOf('/') + 1).contains(".");
    }

    /** Vite names these by content hash: a changed file gets a new name. */
    public static boolean isHashedAsset(String path) {
        return path.startsWith("/assets/");
    }
}
