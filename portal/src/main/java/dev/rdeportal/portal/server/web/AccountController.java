package dev.rdeportal.portal.server.web;

import dev.rdeportal.portal.server.security.SecurityProperties;
import java.security.Principal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Where clients sign in, and who the caller is. */
@RestController
@RequestMapping("/api/v1")
class AccountController {

    private final SecurityProperties security;

    AccountController(SecurityProperties security) {
        this.security = security;
    }

    record AuthConfig(String issuer, String clientId, String audience) {
    }

    /** Member as API.md shapes it; memberships, trust and limits arrive with access control. */
    record Member(String email, String role, boolean trusted, Integer workspaceLimit) {
    }

    @GetMapping("/auth/config")
    AuthConfig authConfig() {
        return new AuthConfig(security.issuerUri(), security.uiClientId(), security.audience());
    }

    @GetMapping("/me")
    Member me(Principal caller) {
        boolean admin = security.admins().contains(caller.getName());
        return new Member(caller.getName(), admin ? "admin" : "user", false, null);
    }
}
