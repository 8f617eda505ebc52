package dev.rdeportal.gateway.preview;

import reactor.core.publisher.Mono;

/**
 * Whether someone is a member of the portal now. Published apps are for members only, and a member
 * who leaves loses access at their next request, not when their cookie session ends. The portal
 * provides it (from its member directory); without one every published app refuses everyone.
 */
@FunctionalInterface
public interface MemberCheck {

    /** Never errors; false when in doubt. */
    Mono<Boolean> isMember(String email);
}
