package dev.rdeportal.query.member;

import dev.rdeportal.domain.member.FindMembersQuery;
import dev.rdeportal.domain.member.MemberList;
import java.util.concurrent.CompletableFuture;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.stereotype.Component;

/** Answers {@link FindMembersQuery} from the read model, without blocking the caller. */
@Component
class MemberQueryHandler {

    private final MemberReadRepository members;

    MemberQueryHandler(MemberReadRepository members) {
        this.members = members;
    }

    @QueryHandler
    CompletableFuture<MemberList> handle(FindMembersQuery query) {
        return members.all().toFuture();
    }
}
