package dev.rdeportal.query.member;

import dev.rdeportal.domain.DomainException;
import dev.rdeportal.domain.member.Member;
import dev.rdeportal.query.support.Caller;
import dev.rdeportal.query.support.ListResponse;
import java.security.Principal;
import java.util.List;
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
        int pageSize = limit(limit);
        String after = cursor == null || cursor.isBlank() ? null : Member.email(cursor);
        return members.page(after, pageSize + 1).map(rows -> {
            List<Member> page = rows.size() > pageSize ? rows.subList(0, pageSize) : rows;
            String next = rows.size() > pageSize ? page.get(page.size() - 1).email() : null;
            return new ListResponse<>(page.stream().map(MemberResponse::of).toList(), next);
        });
    }

    private static int limit(String limit) {
        if (limit == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int n = Integer.parseInt(limit);
            if (n >= 1 && n <= MAX_LIMIT) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw DomainException.invalid("limit must be between 1 and " + MAX_LIMIT);
    }
}
