package dev.rdeportal.query.member;

import dev.rdeportal.domain.member.Member;
import dev.rdeportal.query.support.Caller;
import dev.rdeportal.query.support.ListResponse;
import dev.rdeportal.query.support.Pages;
import java.security.Principal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** {@code GET /api/v1/members}: admins only, by email, cursor paging ({@code next} is the last email). */
@RestController
@RequestMapping("/api/v1/members")
class MemberQueryController {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 500;

    private final MemberReadRepository members;

    MemberQueryController(MemberReadRepository members) {
        this.members = members;
    }

    record MemberResponse(String email, String role, boolean trusted, Integer workspaceLimit) {

        static MemberResponse of(Member m) {
            return new MemberResponse(m.email(), m.role().code(), m.trusted(), m.workspaceLimit());
        }
    }

    @GetMapping
    Mono<ListResponse<MemberResponse>> list(Principal principal, @RequestParam(required = false) String limit,
                                            @RequestParam(required = false) String cursor) {
        Caller.of(principal).requireAdmin("listing members");
        int pageSize = Pages.limit(limit, DEFAULT_LIMIT, MAX_LIMIT);
        String after = cursor == null || cursor.isBlank() ? null : Member.email(cursor);
        return members.page(after, pageSize + 1).map(rows -> Pages.of(rows, pageSize, Member::email, MemberResponse::of));
    }
}
