package dev.rdeportal.query.support;

import io.r2dbc.spi.ConnectionFactories;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * A fresh in-memory H2 database in PostgreSQL mode with the query side's migration applied by
 * Flyway, reachable both through JDBC (as the projections write) and through R2DBC (as the
 * repositories read) — the same split as in the portal, on one database.
 */
public final class ReadModelDatabase {

    private static final String SETTINGS = ";DB_CLOSE_DELAY=-1;MODE=PostgreSQL";

    private final JdbcTemplate jdbc;
    private final DatabaseClient r2dbc;

    private ReadModelDatabase(String name) {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:" + name + SETTINGS);
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        this.jdbc = new JdbcTemplate(dataSource);
        this.r2dbc = DatabaseClient.create(ConnectionFactories.get("r2dbc:h2:mem:///" + name + SETTINGS));
    }

    public static ReadModelDatabase create() {
        return new ReadModelDatabase("readmodel-" + UUID.randomUUID());
    }

    public JdbcTemplate jdbc() {
        return jdbc;
    }

    public DatabaseClient r2dbc() {
        return r2dbc;
    }
}
