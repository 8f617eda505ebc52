package dev.rdeportal.domain;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kubernetes-style resource quantities as the API speaks them: cpu {@code "500m"} or {@code "2"},
 * memory {@code "512Mi"} or {@code "4Gi"}, storage {@code "10Gi"}. Stored as millicores, MiB, GiB.
 */
public final class Quantities {

    private static final Pattern CPU = Pattern.compile("(\\d{1,6})(m?)");
    private static final Pattern BYTES = Pattern.compile("(\\d{1,7})(Mi|Gi|Ti)");

    private Quantities() {
    }

    public static int parseCpuMillis(String field, String value) {
        Matcher m = value == null ? null : CPU.matcher(value.trim());
        if (m == null || !m.matches()) {
            throw DomainException.invalid(field + " must be a CPU quantity such as \"500m\" or \"2\"");
        }
        long n = Long.parseLong(m.group(1));
        long millis = m.group(2).isEmpty() ? n * 1000 : n;
        return (int) Math.min(millis, Integer.MAX_VALUE);
    }

    public static int parseMib(String field, String value) {
        long mib = bytesIn(field, value, "\"512Mi\" or \"4Gi\"");
        return (int) Math.min(mib, Integer.MAX_VALUE);
    }

    public static int parseGib(String field, String value) {
        long mib = bytesIn(field, value, "\"10Gi\"");
        if (mib % 1024 != 0) {
            throw DomainException.invalid(field + " must be a whole number of Gi, such as \"10Gi\"");
        }
        return (int) Math.min(mib / 1024, Integer.MAX_VALUE);
    }

    private static long bytesIn(String field, String value, String example) {
        Matcher m = value == null ? null : BYTES.matcher(value.trim());
        if (m == null || !m.matches()) {
            throw DomainException.invalid(field + " must be a quantity such as " + example);
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "Mi" -> n;
            case "Gi" -> n * 1024;
            default -> n * 1024 * 1024;
        };
    }

    public static String formatCpu(int millis) {
        return millis % 1000 == 0 ? Integer.toString(millis / 1000) : millis + "m";
    }

    public static String formatMib(int mib) {
        return mib % 1024 == 0 ? (mib / 1024) + "Gi" : mib + "Mi";
    }

    public static String formatGib(int gib) {
        return gib + "Gi";
    }
}
