package dev.rdeportal.agent.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rdeportal.agent.runtime.WorkspacePhase;
import dev.rdeportal.proto.v1.Operation;
import dev.rdeportal.proto.v1.OperationKind;
import dev.rdeportal.proto.v1.OperationResult;
import dev.rdeportal.proto.v1.WorkspaceSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OperationJournalTest {

    @TempDir
    Path dir;

    private final ExecutorService workers = Executors.newFixedThreadPool(2);
    private final FakeRuntime runtime = new FakeRuntime();

    @AfterEach
    void stopWorkers() {
        workers.shutdownNow();
    }

    private static Operation op(String id, OperationKind kind, String workspaceId) {
        return Operation.newBuilder().setOperationId(id).setKind(kind)
                .setSpec(WorkspaceSpec.newBuilder().setWorkspaceId(workspaceId)).build();
    }

    private static OperationResult apply(OperationDispatcher dispatcher, Operation operation) throws Exception {
        CompletableFuture<OperationResult> reply = new CompletableFuture<>();
        dispatcher.submit(operation, reply::complete);
        return reply.get(5, TimeUnit.SECONDS);
    }

    private static Operation publish(String id, String publishId) {
        return Operation.newBuilder().setOperationId(id).setKind(OperationKind.OPERATION_KIND_PUBLISH)
                .setSpec(WorkspaceSpec.newBuilder().setWorkspaceId("w-1"))
                .setPublish(dev.rdeportal.proto.v1.PublishSpec.newBuilder().setPublishId(publishId).setWorkspaceId("w-1")
                        .setName("demo-abc").setPort(8000).setStartCommand("run"))
                .build();
    }

    @Test
    void aPublishIsAppliedOnceAndEveryAnswerCarriesThePublishedApp() throws Exception {
        OperationDispatcher dispatcher = new OperationDispatcher(runtime,
                OperationJournal.open(dir, Clock.systemUTC(), OperationJournal.RETENTION), workers);

        OperationResult first = apply(dispatcher, publish("op-p", "pr-1"));
        OperationResult again = apply(dispatcher, publish("op-p", "pr-1"));

        assertThat(runtime.publishes).hasValue(1);
        assertThat(first.getSuccess()).isTrue();
        assertThat(first.getPublished().getPhase()).isEqualTo(dev.rdeportal.proto.v1.WorkspacePhase.WORKSPACE_PHASE_RUNNING);
        assertThat(first.getPublished().getEndpoint()).isEqualTo("127.0.0.1:40000");
        assertThat(first.getPublished().getName()).isEqualTo("demo-abc");
        assertThat(again).isEqualTo(first);

        OperationResult removed = apply(dispatcher, Operation.newBuilder().setOperationId("op-u")
                .setKind(OperationKind.OPERATION_KIND_UNPUBLISH).setSpec(WorkspaceSpec.newBuilder().setWorkspaceId("w-1"))
                .setPublish(dev.rdeportal.proto.v1.PublishSpec.newBuilder().setPublishId("pr-1")).build());
        assertThat(removed.getSuccess()).isTrue();
        assertThat(removed.getPublished().getPhase()).isEqualTo(dev.rdeportal.proto.v1.WorkspacePhase.WORKSPACE_PHASE_MISSING);
    }

    @Test
    void aPublishedAppThatDoesNotRunIsAFailedPublishWithItsReason() throws Exception {
        runtime.publishFails = true;
        OperationDispatcher dispatcher = new OperationDispatcher(runtime,
                OperationJournal.open(dir, Clock.systemUTC(), OperationJournal.RETENTION), workers);

        OperationResult result = apply(dispatcher, publish("op-p", "pr-2"));

        assertThat(result.getSuccess()).isFalse();
        assertThat(result.getReason()).contains("publish workspace w-1").contains("failed: start command exited with status 1");
    }

    @Test
    void theSameOperationIdIsAppliedOnceEvenAcrossAgentRestarts() throws Exception {
        Clock clock = Clock.systemUTC();
        OperationDispatcher dispatcher = new OperationDispatcher(runtime,
                OperationJournal.open(dir, clock, OperationJournal.RETENTION), workers);

        OperationResult first = apply(dispatcher, op("op-1", OperationKind.OPERATION_KIND_PROVISION, "w-1"));
        OperationResult again = apply(dispatcher, op("op-1", OperationKind.OPERATION_KIND_PROVISION, "w-1"));
        OperationDispatcher afterRestart = new OperationDispatcher(runtime,
                OperationJournal.open(dir, clock, OperationJournal.RETENTION), workers);
        OperationResult afterRestartResult = apply(afterRestart, op("op-1", OperationKind.OPERATION_KIND_PROVISION, "w-1"));

        assertThat(runtime.provisions).hasValue(1);
        assertThat(again).isEqualTo(first);
        assertThat(afterRestartResult).isEqualTo(first);
        assertThat(first.getSuccess()).isTrue();
    }

    @Test
    void aReplayedResultShowsTheWorkspaceAsItIsNow() throws Exception {
        OperationDispatcher dispatcher = new OperationDispatcher(runtime,
                OperationJournal.open(dir, Clock.systemUTC(), OperationJournal.RETENTION), workers);
        apply(dispatcher, op("op-1", OperationKind.OPERATION_KIND_PROVISION, "w-1"));
        runtime.stop("w-1"); // e.g. the process died meanwhile

        OperationResult replayed = apply(dispatcher, op("op-1", OperationKind.OPERATION_KIND_PROVISION, "w-1"));

        assertThat(replayed.getSuccess()).isTrue();
        assertThat(replayed.getState().getPhase().name()).isEqualTo("WORKSPACE_PHASE_STOPPED");
        assertThat(runtime.provisions).hasValue(1);
    }

    @Test
    void failuresAreRecordedWithTheirReasonToo() throws Exception {
        OperationDispatcher dispatcher = new OperationDispatcher(runtime,
                OperationJournal.open(dir, Clock.systemUTC(), OperationJournal.RETENTION), workers);

        OperationResult bad = apply(dispatcher, op("op-9", OperationKind.OPERATION_KIND_PROVISION, "../etc"));

        assertThat(bad.getSuccess()).isFalse();
        assertThat(bad.getReason()).startsWith("provision workspace ../etc: invalid workspace id");
        assertThat(apply(dispatcher, op("op-9", OperationKind.OPERATION_KIND_PROVISION, "../etc"))).isEqualTo(bad);
        assertThat(runtime.provisions).hasValue(0);
    }

    @Test
    void operationsOnOneWorkspaceRunInArrivalOrder() throws Exception {
        OperationDispatcher dispatcher = new OperationDispatcher(runtime,
                OperationJournal.open(dir, Clock.systemUTC(), OperationJournal.RETENTION), workers);
        List<String> answered = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> last = new CompletableFuture<>();

        for (int i = 0; i < 20; i++) {
            OperationKind kind = i % 2 == 0 ? OperationKind.OPERATION_KIND_PROVISION : OperationKind.OPERATION_KIND_STOP;
            int n = i;
            dispatcher.submit(op("op-" + i, kind, "w-1"), r -> {
                answered.add(r.getOperationId() + ":" + r.getState().getPhase().name());
                if (n == 19) {
                    last.complete(null);
                }
            });
        }
        last.get(10, TimeUnit.SECONDS);

        assertThat(answered).hasSize(20);
        for (int i = 0; i < 20; i++) {
            assertThat(answered.get(i)).isEqualTo("op-" + i + ":" + (i % 2 == 0 ? "WORKSPACE_PHASE_RUNNING" : "WORKSPACE_PHASE_STOPPED"));
        }
    }

    @Test
    void entriesOlderThanSevenDaysArePrunedOnOpen() throws Exception {
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        OperationDispatcher dispatcher = new OperationDispatcher(runtime,
                OperationJournal.open(dir, Clock.fixed(start, ZoneOffset.UTC), OperationJournal.RETENTION), workers);
        apply(dispatcher, op("op-old", OperationKind.OPERATION_KIND_PROVISION, "w-1"));
        OperationDispatcher later = new OperationDispatcher(runtime, OperationJournal.open(dir,
                Clock.fixed(start.plus(Duration.ofDays(6)), ZoneOffset.UTC), OperationJournal.RETENTION), workers);
        apply(later, op("op-new", OperationKind.OPERATION_KIND_STOP, "w-1"));

        OperationJournal.open(dir, Clock.fixed(start.plus(Duration.ofDays(8)), ZoneOffset.UTC), OperationJournal.RETENTION);

        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.toList()).hasSize(1);
        }
        OperationJournal reopened = OperationJournal.open(dir, Clock.fixed(start.plus(Duration.ofDays(8)), ZoneOffset.UTC),
                OperationJournal.RETENTION);
        assertThat(reopened.find("op-old")).isEmpty();
        assertThat(reopened.find("op-new")).hasValueSatisfying(e -> assertThat(e.state().phase()).isEqualTo(WorkspacePhase.STOPPED));
        assertThat(reopened.lastOperation("w-1")).contains("op-new");
    }
}
