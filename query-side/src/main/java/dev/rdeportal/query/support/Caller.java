package dev.rdeportal.query.support;

import dev.rdeportal.domain.DomainException;
import dev.rdeportal.domain.ErrorCode;
import java.security.Principal;
import org.springframework.security.core.Authentication;

/**
 * Who is asking, as the portal's resource-server configuration presents it: the principal's name is
 * the caller's email, and admins carry the authority {@value #ADMIN_AUTHORITY}.
 */
public record Caller(String email, boolean admin) {

    public static final String ADMIN_AUTHORITY = "ROLE_ADMIN";

    public static Caller of(Principal principal) {
        if (principal == null || principal.getName() == null || principal.getName().isBlank()) {
            // The portal's security chain rejects anonymous calls first; reaching here is a wiring bug.
            throw new DomainException(ErrorCode.UNAUTHENTICATED, "authentication required");
        }
        boolean admin = principal instanceof Authentication authentication
                && authentication.getAuthorities().stream()
                        .anyMatch(a -> ADMIN_AUTHORITY.equals(a.getAuthority()));
        return new Caller(principal.getName(), admin);
    }

    public void requireAdmin(String what) {
        if (!admin) {
            throw new DomainException(ErrorCode.FORBIDDEN, what + " is for admins only");
        }
    }
}
