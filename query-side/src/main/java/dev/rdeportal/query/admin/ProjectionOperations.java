package dev.rdeportal.query.admin;

import dev.rdeportal.domain.DomainException;
import dev.rdeportal.domain.ErrorCode;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.axonframework.config.Configuration;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Rebuilds a projection the Axon way: stop its processor, reset its tokens (which calls the
 * projection's {@code @ResetHandler} to empty its tables) and start it again; it then replays the
 * whole history and ends where the live processor was. Blocking: call it off the event loop.
 *
 * <p>One portal instance only: with several replicas sharing the database, the processor must be
 * stopped on every replica before its tokens can be reset (Axon refuses while another node holds a
 * segment claim); that orchestration is not built yet.
 */
@Component
class ProjectionOperations {

    private static final Logger log = LoggerFactory.getLogger("rde.query.admin");

    private final ObjectProvider<Configuration> axon;

    ProjectionOperations(ObjectProvider<Configuration> axon) {
        this.axon = axon;
    }

    List<ProjectionStatus> list() {
        return processors().entrySet().stream()
                .map(e -> status(e.getKey(), e.getValue()))
                .sorted(Comparator.comparing(ProjectionStatus::name))
                .toList();
    }

    ProjectionStatus rebuild(String name) {
        StreamingEventProcessor processor = processors().get(name);
        if (processor == null) {
            throw DomainException.notFound("projection", name);
        }
        if (!processor.supportsReset()) {
            throw DomainException.conflict("projection " + name + " cannot be rebuilt: it refuses replays "
                    + "(the audit chain would lose its evidence, a saga would act twice)");
        }
        synchronized (processor) {
            log.info("rebuilding projection {}: stopping its processor", name);
            processor.shutDown();
            processor.resetTokens();
            processor.start();
            log.info("projection {} reset; replaying the history", name);
        }
        return status(name, processor);
    }

    private Map<String, StreamingEventProcessor> processors() {
        Configuration configuration = axon.getIfAvailable();
        if (configuration == null) {
            throw new DomainException(ErrorCode.UNAVAILABLE, "the event processors are not running");
        }
        EventProcessingConfiguration processing = configuration.eventProcessingConfiguration();
        return processing.eventProcessors().entrySet().stream()
                .filter(e -> e.getValue() instanceof StreamingEventProcessor)
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey,
                        e -> (StreamingEventProcessor) e.getValue()));
    }

    private static ProjectionStatus status(String name, StreamingEventProcessor processor) {
        Map<Integer, EventTrackerStatus> segments = processor.processingStatus();
        boolean replaying = segments.values().stream().anyMatch(EventTrackerStatus::isReplaying);
        OptionalLong position = segments.values().stream()
                .map(EventTrackerStatus::getCurrentPosition)
                .filter(OptionalLong::isPresent)
                .mapToLong(OptionalLong::getAsLong)
                .max();
        String status = processor.isError() ? "error" : !processor.isRunning() ? "stopped"
                : replaying ? "replaying" : "running";
        boolean caughtUp = !segments.isEmpty() && segments.values().stream().allMatch(EventTrackerStatus::isCaughtUp);
        return new ProjectionStatus(name, status, position.isPresent() ? position.getAsLong() : null, caughtUp,
                processor.supportsReset());
    }
}
