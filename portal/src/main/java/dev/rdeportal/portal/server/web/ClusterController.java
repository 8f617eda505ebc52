package dev.rdeportal.portal.server.web;

import dev.rdeportal.command.web.CommandSender;
import dev.rdeportal.domain.Validation;
import dev.rdeportal.domain.cluster.RegisterClusterCommand;
import dev.rdeportal.gateway.JoinTokenIssuer;
import java.net.URI;
import java.security.Principal;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Cluster registration (admins). The join token is in the answer once and nowhere else: the
 * control plane keeps its hash only.
 */
@RestController
@RequestMapping("/api/v1/clusters")
class ClusterController {

    private final CommandSender commands;
    private final JoinTokenIssuer tokens;

    ClusterController(CommandSender commands, JoinTokenIssuer tokens) {
        this.commands = commands;
        this.tokens = tokens;
    }

    record RegisterRequest(String id, String name) {
    }

    record Registered(String id, String joinToken) {
    }

    @PostMapping
    Mono<ResponseEntity<Registered>> register(@RequestBody RegisterRequest request, Principal caller,
                                              ServerWebExchange exchange) {
        String id = Validation.name("id", request.id());
        String name = request.name() == null || request.name().isBlank() ? id : Validation.text("name", request.name());
        var token = tokens.issue(id);
        return commands.send(new RegisterClusterCommand(id, name, token.secretHash(), caller.getName()), caller, exchange)
                .thenReturn(ResponseEntity.created(URI.create("/api/v1/clusters/" + id))
                        .body(new Registered(id, token.token())));
    }
}
