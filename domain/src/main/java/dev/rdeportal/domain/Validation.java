package dev.rdeportal.domain;

import java.util.Collection;
import java.util.Map;
import java.util.regex.Pattern;

/** Input rules shared by commands. Each failure is a {@link DomainException} with a clear message. */
public final class Validation {

    /** DNS-label shaped: names become Kubernetes namespaces and preview host names. */
    private static final Pattern NAME = Pattern.compile("[a-z]([a-z0-9-]{0,38}[a-z0-9])?");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern ENV_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

    public static final int MAX_CPU_MILLIS = 64_000;
    public static final int MAX_MEMORY_MIB = 256 * 1024;
    public static final int MAX_STORAGE_GIB = 2048;
    public static final int MAX_PORTS = 16;
    public static final int MAX_ENV = 100;
    public static final int MAX_ENV_VALUE = 4096;
    public static final int MAX_TEXT = 4096;

    private Validation() {
    }

    public static String name(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw DomainException.invalid(field + " must not be empty");
        }
        if (value.length() > 40) {
            throw DomainException.invalid(field + " must be at most 40 characters");
        }
        if (!NAME.matcher(value).matches()) {
            throw DomainException.invalid(field + " must be lower-case letters, digits and '-', "
                    + "starting with a letter and not ending with '-'");
        }
        return value;
    }

    public static String id(String field, String value) {
        if (value == null || !ID.matcher(value).matches()) {
            throw DomainException.invalid(field + " is not a valid identifier");
        }
        return value;
    }

    public static String required(String field, String value) {
        if (value == null || value.isBlank()) {
            throw DomainException.invalid(field + " is required");
        }
        return text(field, value);
    }

    public static String text(String field, String value) {
        if (value != null && value.length() > MAX_TEXT) {
            throw DomainException.invalid(field + " must be at most " + MAX_TEXT + " characters");
        }
        return value;
    }

    public static int range(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw DomainException.invalid(field + " must be between " + min + " and " + max);
        }
        return value;
    }

    public static void ports(Collection<Integer> ports) {
        if (ports == null) {
            return;
        }
        if (ports.size() > MAX_PORTS) {
            throw DomainException.invalid("at most " + MAX_PORTS + " ports");
        }
        for (Integer p : ports) {
            if (p == null || p < 1 || p > 65535) {
                throw DomainException.invalid("ports must be between 1 and 65535");
            }
        }
        if (ports.stream().distinct().count() != ports.size()) {
            throw DomainException.invalid("ports must be distinct");
        }
    }

    public static void env(Map<String, String> env) {
        if (env == null) {
            return;
        }
        if (env.size() > MAX_ENV) {
            throw DomainException.invalid("at most " + MAX_ENV + " environment variables");
        }
        env.forEach((k, v) -> {
            if (k == null || !ENV_KEY.matcher(k).matches()) {
                throw DomainException.invalid("environment variable names must match [A-Za-z_][A-Za-z0-9_]*");
            }
            if (v == null || v.length() > MAX_ENV_VALUE) {
                throw DomainException.invalid("environment variable " + k + " must have a value of at most "
                        + MAX_ENV_VALUE + " characters");
            }
        });
    }
}
