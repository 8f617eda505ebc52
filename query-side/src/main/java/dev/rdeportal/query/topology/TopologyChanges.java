package dev.rdeportal.query.topology;

import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * Tells this replica's topology streams that a projection feeding the graph (clusters, agents,
 * blueprints, workspaces) has written something. The notice carries nothing: a stream re-reads the
 * whole graph. Inside a unit of work the notice waits for its commit, so a re-read never races the
 * write it was told about; a rolled-back write sends none.
 *
 * <p>Only the replica whose processor handled the event hears of it. Streams therefore also re-read
 * on a timer, which is what brings changes processed by another replica.
 */
@Component
public class TopologyChanges {

    private final Sinks.Many<Boolean> sink = Sinks.many().multicast().directBestEffort();

    public void changed() {
        if (CurrentUnitOfWork.isStarted()) {
            CurrentUnitOfWork.get().afterCommit(uow -> signal());
        } else {
            signal();
        }
    }

    public Flux<Boolean> notices() {
        return sink.asFlux();
    }

    /** Serialised: processors of different groups commit on different threads. */
    private synchronized void signal() {
        sink.tryEmitNext(Boolean.TRUE);
    }
}
