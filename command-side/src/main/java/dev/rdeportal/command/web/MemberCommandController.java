package dev.rdeportal.command.web;

import dev.rdeportal.domain.DomainException;
import dev.rdeportal.domain.ErrorCode;
import dev.rdeportal.domain.member.Member;
import dev.rdeportal.domain.member.MemberList;
import dev.rdeportal.domain.member.MemberRole;
import dev.rdeportal.domain.member.PutMemberCommand;
import dev.rdeportal.domain.member.RemoveMemberCommand;
import java.security.Principal;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * {@code PUT /api/v1/members/{email}} (invite, or change role, trust and limit) and
 * {@code DELETE /api/v1/members/{email}}. Admins only (the portal's security rules, and here). The
 * answer is the member as the organisation recorded it, so it is never behind the write.
 */
@RestController
@RequestMapping("/api/v1/members")
class MemberCommandController {

    private final CommandSender commands;
    private final ApplicationEventPublisher local;

    MemberCommandController(CommandSender commands, ApplicationEventPublisher local) {
        this.commands = commands;
        this.local = local;
    }

    record MemberRequest(String role, Boolean trusted, Integer workspaceLimit) {
    }

    record MemberResponse(String email, String role, boolean trusted, Integer workspaceLimit) {

        static MemberResponse of(Member m) {
            return new MemberResponse(m.email(), m.role().code(), m.trusted(), m.workspaceLimit());
        }
    }

    @PutMapping("/{email}")
    Mono<ResponseEntity<MemberResponse>> put(@PathVariable String email, @RequestBody MemberRequest request,
                                             Principal caller, ServerWebExchange exchange) {
        requireAdmin(caller);
        if (request == null) {
            throw DomainException.invalid("a body with role, trusted and workspaceLimit is required");
        }
        var command = new PutMemberCommand(Member.ORGANIZATION_ID, email, MemberRole.parse(request.role()),
                Boolean.TRUE.equals(request.trusted()), request.workspaceLimit());
        return commands.<MemberList>send(command, caller, exchange)
                .doOnNext(this::changed)
                .map(list -> ResponseEntity.ok(MemberResponse.of(list.members().stream()
                        .filter(m -> m.email().equals(command.email())).findFirst().orElseThrow())));
    }

    @DeleteMapping("/{email}")
    Mono<ResponseEntity<Void>> remove(@PathVariable String email, Principal caller, ServerWebExchange exchange) {
        requireAdmin(caller);
        var command = new RemoveMemberCommand(Member.ORGANIZATION_ID, email);
        return commands.<MemberList>send(command, caller, exchange)
                .onErrorMap(AggregateNotFoundException.class, e -> DomainException.notFound("member", command.email()))
                .doOnNext(this::changed)
                .thenReturn(ResponseEntity.noContent().build());
    }

    /**
     * Tells this replica's member cache at once (as a Spring event), so a role change applies to
     * the very next request here; other replicas learn it from the projection.
     */
    private void changed(MemberList list) {
        local.publishEvent(list);
    }

    private static void requireAdmin(Principal caller) {
        if (!WorkspaceCommandController.isAdmin(caller)) {
            throw new DomainException(ErrorCode.FORBIDDEN, "managing members is for admins only");
        }
    }
}
