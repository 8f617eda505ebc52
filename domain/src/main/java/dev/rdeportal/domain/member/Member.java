package dev.rdeportal.domain.member;

import dev.rdeportal.domain.DomainException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A member of the organisation (API.md "Member"). {@code workspaceLimit} null means the
 * organisation's default. Emails are kept lower-case: they are the member's key.
 */
public record Member(String email, MemberRole role, boolean trusted, Integer workspaceLimit) {

    /** The portal has one organisation; its aggregate holds every member and every workspace slot. */
    public static final String ORGANIZATION_ID = "organization";
    public static final int MAX_WORKSPACE_LIMIT = 1000;

    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[A-Za-z0-9.-]{1,253}");

    public boolean admin() {
        return role == MemberRole.ADMIN;
    }

    /** The limit in force for this member, given the organisation's default. */
    public int limit(int defaultLimit) {
        return workspaceLimit == null ? defaultLimit : workspaceLimit;
    }

    /** Validates and lower-cases an email; the member's key everywhere. */
    public static String email(String value) {
        if (value == null || !EMAIL.matcher(value.trim()).matches()) {
            throw DomainException.invalid("email must be an email address");
        }
        return value.trim().toLowerCase(Locale.ROOT);
    }

    /** The part after the {@code @}, lower-case. */
    public static String domainOf(String email) {
        return email.substring(email.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
    }

    public static Integer workspaceLimit(Integer value) {
        if (value != null && (value < 0 || value > MAX_WORKSPACE_LIMIT)) {
            throw DomainException.invalid("workspaceLimit must be between 0 and " + MAX_WORKSPACE_LIMIT + ", or null");
        }
        return value;
    }
}
