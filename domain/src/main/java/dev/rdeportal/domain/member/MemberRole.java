package dev.rdeportal.domain.member;

import dev.rdeportal.domain.DomainException;
import java.util.Locale;

/** What a member may do: admins manage the portal, users use it. */
public enum MemberRole {
    ADMIN, USER;

    /** As the API writes it: {@code admin} or {@code user}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static MemberRole parse(String value) {
        if (value != null) {
            for (MemberRole role : values()) {
                if (role.code().equals(value.trim().toLowerCase(Locale.ROOT))) {
                    return role;
                }
            }
        }
        throw DomainException.invalid("role must be admin or user");
    }
}
