package dev.rdeportal.domain.publish;

/** One request by id; answers {@code Optional<PublishRequestView>}. */
public record FindPublishRequestQuery(String requestId) {
}
