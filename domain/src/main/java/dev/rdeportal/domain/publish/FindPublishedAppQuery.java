package dev.rdeportal.domain.publish;

/** The request published under a stable name (a published app's host); answers {@code Optional<PublishRequestView>}. */
public record FindPublishedAppQuery(String publishName) {
}
