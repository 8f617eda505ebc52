package dev.rdeportal.portal.server.config;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.r2dbc.h2.H2ConnectionConfiguration;
import io.r2dbc.h2.H2ConnectionFactory;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import java.time.Duration;
import javax.sql.DataSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * JDBC for the event store, token store, sagas and projection writes (one transaction per batch:
 * read model and tracking token commit together); R2DBC on the same database for queries. Both are
 * declared here because Boot's JDBC auto-configuration backs off once an R2DBC connection factory
 * exists.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DatabaseProperties.class)
class DatabaseConfiguration {

    @Bean(destroyMethod = "close")
    @Primary
    HikariDataSource dataSource(DatabaseProperties db) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("rde-jdbc");
        config.setJdbcUrl(db.jdbcUrl());
        config.setUsername(db.username());
        config.setPassword(db.password());
        config.setMaximumPoolSize(db.maxPoolSize());
        return new HikariDataSource(config);
    }

    @Bean
    @Primary
    PlatformTransactionManager transactionManager(DataSource dataSource) {
        return new DataSourceTransactionManager(dataSource);
    }

    @Bean
    JdbcTemplate jdbcTemplate(DataSource dataSource) {
        return new JdbcTemplate(dataSource);
    }

    @Bean
    NamedParameterJdbcTemplate namedParameterJdbcTemplate(JdbcTemplate jdbcTemplate) {
        return new NamedParameterJdbcTemplate(jdbcTemplate);
    }

    @Bean(destroyMethod = "dispose")
    ConnectionPool connectionFactory(DatabaseProperties db) {
        ConnectionFactory target;
        if (db.h2()) {
            target = new H2ConnectionFactory(H2ConnectionConfiguration.builder()
                    .url(db.h2Target())
                    .username(db.username())
                    .password(db.password())
                    .build());
        } else {
            target = ConnectionFactories.get(ConnectionFactoryOptions.parse(db.r2dbcUrl()).mutate()
                    .option(ConnectionFactoryOptions.USER, db.username())
                    .option(ConnectionFactoryOptions.PASSWORD, db.password())
                    .build());
        }
        return new ConnectionPool(ConnectionPoolConfiguration.builder(target)
                .name("rde-r2dbc")
                .maxSize(db.maxPoolSize())
                .maxIdleTime(Duration.ofMinutes(10))
                // A query waits for a connection at most this long, then fails (503) instead of hanging.
                .maxAcquireTime(Duration.ofSeconds(10))
                .maxCreateConnectionTime(Duration.ofSeconds(10))
                .build());
    }

    @Bean
    DatabaseClient databaseClient(ConnectionFactory connectionFactory) {
        return DatabaseClient.create(connectionFactory);
    }
}
