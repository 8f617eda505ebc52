package dev.rdeportal.domain.blueprint;

import dev.rdeportal.domain.DomainException;
import dev.rdeportal.domain.member.Member;
import java.util.List;
import java.util.Locale;

/**
 * Who may see and launch a blueprint: everyone ({@link Mode#OPEN}), or the listed emails and
 * members of the listed email domains ({@link Mode#RESTRICTED}). Admins always may; that is the
 * caller's business, not this record's.
 */
public record BlueprintAcl(Mode mode, List<String> emails, List<String> domains) {

    public static final BlueprintAcl OPEN = new BlueprintAcl(Mode.OPEN, List.of(), List.of());
    public static final int MAX_ENTRIES = 500;

    public enum Mode {
        OPEN, RESTRICTED;

        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Blueprints from before ACLs read as open. Entries are lower-cased and de-duplicated. */
    public BlueprintAcl {
        mode = mode == null ? Mode.OPEN : mode;
        emails = emails == null ? List.of() : emails.stream().map(e -> e.trim().toLowerCase(Locale.ROOT)).distinct().toList();
        domains = domains == null ? List.of()
                : domains.stream().map(d -> d.trim().toLowerCase(Locale.ROOT)).distinct().toList();
    }

    /** Validated input from an admin: emails must be emails, domains host names. */
    public static BlueprintAcl of(String mode, List<String> emails, List<String> domains) {
        Mode parsed;
        if (mode == null || mode.isBlank()) {
            parsed = Mode.OPEN;
        } else if ("open".equalsIgnoreCase(mode.trim())) {
            parsed = Mode.OPEN;
        } else if ("restricted".equalsIgnoreCase(mode.trim())) {
            parsed = Mode.RESTRICTED;
        } else {
            throw DomainException.invalid("acl.mode must be open or restricted");
        }
        List<String> e = emails == null ? List.of() : emails;
        List<String> d = domains == null ? List.of() : domains;
        if (e.size() + d.size() > MAX_ENTRIES) {
            throw DomainException.invalid("acl may list at most " + MAX_ENTRIES + " emails and domains");
        }
        List<String> validEmails = e.stream().map(Member::email).toList();
        for (String domain : d) {
            if (domain == null || !domain.trim().matches("[A-Za-z0-9]([A-Za-z0-9-]{0,62}\\.?)*[A-Za-z0-9]")
                    || domain.length() > 253) {
                throw DomainException.invalid("acl.domains must be email domains such as example.com");
            }
        }
        return new BlueprintAcl(parsed, validEmails, d);
    }

    public boolean allows(String email) {
        if (mode == Mode.OPEN) {
            return true;
        }
        if (email == null) {
            return false;
        }
        String normalized = email.trim().toLowerCase(Locale.ROOT);
        return emails.contains(normalized) || domains.contains(Member.domainOf(normalized));
    }
}
