package dev.rdeportal.query.support;

import io.r2dbc.spi.Readable;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.function.Function;

/**
 * A row as "column name → value", whether it came from JDBC (the projections reading back what they
 * wrote) or from R2DBC (the repositories), so that each read model has exactly one row mapping.
 */
public final class Columns {

    private Columns() {
    }

    public static Function<String, Object> of(ResultSet rs) {
        return name -> {
            try {
                return rs.getObject(name);
            } catch (SQLException e) {
                throw new IllegalStateException("read column " + name + ": " + e.getMessage(), e);
            }
        };
    }

    public static Function<String, Object> of(Readable row) {
        return row::get;
    }
}
