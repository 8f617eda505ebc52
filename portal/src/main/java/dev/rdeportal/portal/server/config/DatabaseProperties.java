package dev.rdeportal.portal.server.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * One database for everything ({@code rde.database.*}): a JDBC URL; the R2DBC URL for queries is
 * derived from it. Default: an H2 file under {@code ./data} (the embedded default). Production:
 * {@code jdbc:postgresql://host:5432/rde}.
 */
@ConfigurationProperties("rde.database")
public record DatabaseProperties(String url, String username, String password, int maxPoolSize) {

    public DatabaseProperties {
        if (url == null || url.isBlank()) {
            url = "jdbc:h2:file:./data/rde";
        }
        if (username == null) {
            username = url.startsWith("jdbc:h2:") ? "sa" : "rde";
        }
        if (password == null) {
            password = "";
        }
        if (maxPoolSize <= 0) {
            maxPoolSize = 10;
        }
        if (!isH2(url) && !url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("rde.database.url must be a jdbc:postgresql: or jdbc:h2: URL");
        }
    }

    static boolean isH2(String url) {
        return url.startsWith("jdbc:h2:");
    }

    public boolean h2() {
        return isH2(url);
    }

    /**
     * H2 runs in PostgreSQL mode so one set of migrations and queries serves both. It closes when
     * the pools close their last connection, not from a JVM shutdown hook of its own
     * ({@code DB_CLOSE_ON_EXIT=FALSE}): that hook raced the portal's graceful shutdown, and the
     * event processors still stopping logged "Database is already closed" errors on every stop.
     */
    String jdbcUrl() {
        return h2() ? url + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_ON_EXIT=FALSE" : url;
    }

    /** Without the {@code jdbc:h2:} prefix, as the R2DBC H2 driver wants it. */
    String h2Target() {
        return jdbcUrl().substring("jdbc:h2:".length());
    }

    String r2dbcUrl() {
        return "r2dbc:" + url.substring("jdbc:".length());
    }

    @Override
    public String toString() {
        return "DatabaseProperties[url=" + url + ", username=" + username + "]";
    }
}
