package dev.rdeportal.agent.tunnel;

import dev.rdeportal.agent.io.JsonFiles;
import dev.rdeportal.proto.JoinToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.StreamSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Operation ids are idempotency keys: the control plane re-sends an operation whenever it is not
 * sure the agent got it (reconnects, its own restarts). Each applied operation's result is stored
 * as {@code <operations>/<sha256(id)>.json} before the result is sent, so a re-sent id is answered
 * from here and never applied twice, even across agent restarts. Entries older than the retention
 * are pruned on start; by then the control plane has long stopped re-sending them.
 */
final class OperationJournal {

    static final Duration RETENTION = Duration.ofDays(7);
    private static final Logger log = LoggerFactory.getLogger("rde.agent.journal");

    private final Path dir;
    private final Clock clock;
    private final Map<String, JournalEntry> lastByWorkspace = new ConcurrentHashMap<>();

    private OperationJournal(Path dir, Clock clock) {
        this.dir = dir;
        this.clock = clock;
    }

    /** Opens the journal, pruning what is past the retention and indexing the rest. */
    static OperationJournal open(Path dir, Clock clock, Duration retention) throws IOException {
        Files.createDirectories(dir);
        OperationJournal journal = new OperationJournal(dir, clock);
        journal.load(clock.millis() - retention.toMillis());
        return journal;
    }

    Optional<JournalEntry> find(String operationId) {
        Path file = fileFor(operationId);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JsonFiles.read(file, JournalEntry.class));
        } catch (IOException e) {
            throw new UncheckedIOException("read journal entry for operation " + operationId, e);
        }
    }

    void record(JournalEntry entry) throws IOException {
        JsonFiles.write(fileFor(entry.operationId()), entry);
        lastByWorkspace.merge(entry.workspaceId(), entry, OperationJournal::later);
    }

    /** The id of the last operation applied to a workspace, for the state the agent reports. */
    Optional<String> lastOperation(String workspaceId) {
        return Optional.ofNullable(lastByWorkspace.get(workspaceId)).map(JournalEntry::operationId);
    }

    long now() {
        return clock.millis();
    }

    private void load(long pruneBefore) throws IOException {
        int pruned = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
            List<Path> sorted = StreamSupport.stream(files.spliterator(), false).sorted(Comparator.naturalOrder()).toList();
            for (Path file : sorted) {
                JournalEntry entry;
                try {
                    entry = JsonFiles.read(file, JournalEntry.class);
                } catch (IOException | RuntimeException e) {
                    // Left in place: deleting it could let its operation be applied a second time.
                    log.warn("journal entry {} is unreadable and kept: {}", file.getFileName(), e.getClass().getSimpleName());
                    continue;
                }
                if (entry.appliedAtMillis() < pruneBefore) {
                    Files.deleteIfExists(file);
                    pruned++;
                } else {
                    lastByWorkspace.merge(entry.workspaceId(), entry, OperationJournal::later);
                }
            }
        }
        if (pruned > 0) {
            log.info("pruned {} journal entries older than {}", pruned, RETENTION);
        }
    }

    private static JournalEntry later(JournalEntry a, JournalEntry b) {
        return b.appliedAtMillis() >= a.appliedAtMillis() ? b : a;
    }

    /** Hashed: operation ids come from the network and must not pick file names. */
    private Path fileFor(String operationId) {
        return dir.resolve(JoinToken.sha256Hex(operationId) + ".json");
    }
}
