package dev.rdeportal.portal.server.web;

import dev.rdeportal.domain.DomainException;
import dev.rdeportal.domain.ErrorCode;
import dev.rdeportal.portal.server.security.MemberDirectory;
import dev.rdeportal.portal.server.security.SecurityProperties;
import java.security.Principal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Where clients sign in, and who the caller is. */
@RestController
@RequestMapping("/api/v1")
class AccountController {

    private final SecurityProperties security;
    private final MemberDirectory members;

    AccountController(SecurityProperties security, MemberDirectory members) {
        this.security = security;
        this.members = members;
    }

    record AuthConfig(String issuer, String clientId, String audience) {
    }

    /** Member as API.md shapes it; {@code workspaceLimit} null: the organisation's default. */
    record Member(String email, String role, boolean trusted, Integer workspaceLimit) {
    }

    @GetMapping("/auth/config")
    AuthConfig authConfig() {
        return new AuthConfig(security.issuerUri(), security.uiClientId(), security.audience());
    }

    /** Only members get here (the security rules answer 403 {@code not-a-member} to everyone else). */
    @GetMapping("/me")
    Mono<Member> me(Principal caller) {
        return members.find(caller.getName()).map(found -> found
                .map(m -> new Member(m.email(), m.role().code(), m.trusted(), m.workspaceLimit()))
                .orElseThrow(() -> new DomainException(ErrorCode.NOT_A_MEMBER, "you are not a member of this portal")));
    }
}
