package dev.rdeportal.query.audit;

import java.sql.Array;
import java.sql.PreparedStatement;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.UnableToClaimTokenException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Links a long backlog of events in bulk, before the audit-chain processor starts, and hands the
 * processor a token at the point it reached. A chain starts behind when a portal is upgraded onto an
 * existing history or its token row was lost; linking a million events one Axon message at a time
 * costs ~40 µs each, straight from the table it costs a few.
 *
 * <p>The links are the ones the processor would write: the same rows (committed ones, in global
 * order), the same function ({@link HashChain}), the same positions after the last recorded link.
 * Rows already linked are skipped, as the processor skips them. Each chunk commits its links and the
 * processor's token in one transaction, under the processor's claim on its token, so a crash
 * resumes from the last chunk, and a replica whose processor holds the claim is left alone.
 *
 * <p>Gaps: a global index missing in the table may belong to a transaction still in flight. Like
 * Axon's own event reader, the token keeps the missing indexes within {@value #MAX_GAP_OFFSET} of
 * its position as gaps; the processor links such an event if it appears. The catch-up only starts
 * from a token without gaps (a fresh one, or none), so it never has to reconcile gaps it did not see.
 */
public final class AuditChainCatchUp {

    private static final Logger log = LoggerFactory.getLogger(AuditChainCatchUp.class);

    /** Axon's {@code JdbcEventStorageEngine} default: gaps further behind are taken as rolled back. */
    static final int MAX_GAP_OFFSET = 10_000;

    /** Axon's lowest global sequence: below the first event, indexes from here on count as gaps. */
    static final long LOWEST_GLOBAL_SEQUENCE = 1;

    /** Events linked per transaction. */
    static final int CHUNK = 50_000;

    static final int SEGMENT = 0;

    private static final String ROWS = "SELECT " + StoredEvent.COLUMNS
            + " FROM domain_event_entry e WHERE e.global_index > ? AND e.global_index <= ? ORDER BY e.global_index";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final TokenStore tokens;
    private final String processorName;
    private final long threshold;
    private final int chunk;

    /**
     * @param threshold the fewest events behind that make a bulk catch-up worth it; below, the
     *                  processor links them itself
     * @param chunk     events linked per transaction
     */
    AuditChainCatchUp(JdbcTemplate jdbc, PlatformTransactionManager transactionManager, TokenStore tokens,
                      String processorName, long threshold, int chunk) {
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactionManager);
        this.tokens = tokens;
        this.processorName = processorName;
        this.threshold = threshold;
        this.chunk = chunk;
    }

    /**
     * Catches up if the processor's token is far enough behind and this node can claim it. Never
     * throws: what it committed stays, and the processor links the rest.
     *
     * @return the events linked
     */
    public long run() {
        try {
            return catchUp();
        } catch (UnableToClaimTokenException e) {
            log.info("audit chain: another node holds the {} token; it links the backlog", processorName);
            return 0;
        } catch (RuntimeException e) {
            log.warn("audit chain: bulk catch-up stopped ({}); the processor links the rest", e.toString());
            return 0;
        }
    }

    private long catchUp() {
        Long head = jdbc.queryForObject("SELECT MAX(global_index) FROM domain_event_entry", Long.class);
        if (head == null) {
            return 0;
        }
        TrackingToken start = transactions.execute(status -> claim());
        try {
            if (start != null && !(start instanceof GapAwareTrackingToken)) {
                return 0; // a replay or another kind of token: the processor's business
            }
            GapAwareTrackingToken token = (GapAwareTrackingToken) start;
            if (token != null && token.hasGaps()) {
                return 0;
            }
            long from = token == null ? Long.MIN_VALUE : token.getIndex();
            long behind = jdbc.queryForObject(
                    "SELECT COUNT(*) FROM domain_event_entry WHERE global_index > ? AND global_index <= ?",
                    Long.class, from, head);
            if (behind < threshold) {
                return 0;
            }
            log.info("audit chain: {} events behind; linking them in bulk", behind);
            long began = System.nanoTime();
            Progress progress = new Progress(from);
            // The first chunk starts at the lowest index, which need not be 1 (nor positive).
            long scanFrom = token == null
                    ? jdbc.queryForObject("SELECT MIN(global_index) FROM domain_event_entry", Long.class) - 1 : from;
            link(scanFrom, head, progress);
            analyze();
            log.info("audit chain: linked {} events in bulk in {} ms (reading and hashing {} ms, writing {} ms); "
                            + "the processor goes on from index {}", progress.linked, (System.nanoTime() - began) / 1_000_000,
                    progress.readNanos / 1_000_000, progress.writeNanos.get() / 1_000_000, progress.index);
            return progress.linked;
        } finally {
            transactions.executeWithoutResult(status -> tokens.releaseClaim(processorName, SEGMENT));
        }
    }

    /**
     * The table just grew by the whole backlog: fresh planner statistics keep the verifier's join on
     * its indexes instead of waiting for autovacuum to notice. Best effort (H2 spells it differently).
     */
    private void analyze() {
        for (String statement : List.of("ANALYZE audit_chain", "ANALYZE TABLE audit_chain")) {
            try {
                jdbc.execute(statement);
                return;
            } catch (DataAccessException e) {
                log.debug("audit chain: {} refused: {}", statement, e.getMessage());
            }
        }
    }

    /** The processor's token, claimed for this node; created (empty: from the start) if it has none. */
    private TrackingToken claim() {
        if (tokens.fetchSegments(processorName).length == 0) {
            tokens.initializeTokenSegments(processorName, 1, null);
        }
        return tokens.fetchToken(processorName, SEGMENT);
    }

    /**
     * Links (scanFrom, head] chunk by chunk. A chunk's links and the token after it are written by a
     * second thread while this one reads and hashes the next chunk: on PostgreSQL, reading and
     * writing then overlap. Chunks are written in order, one at a time, each in its own transaction.
     */
    private void link(long scanFrom, long head, Progress progress) {
        ExecutorService writer = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "audit-chain-catch-up");
            thread.setDaemon(true);
            return thread;
        });
        try {
            Future<?> written = CompletableFuture.completedFuture(null);
            Last last = lastLink();
            while (scanFrom < head) {
                long lower = scanFrom;
                long upper = Math.min(head, scanFrom + chunk);
                Last previous = last;
                Links links = transactions.execute(status -> readChunk(lower, upper, previous, progress));
                last = links.last();
                GapAwareTrackingToken after = progress.index == Long.MIN_VALUE ? null : progress.token();
                await(written);
                written = writer.submit(() -> transactions.executeWithoutResult(status -> {
                    long began = System.nanoTime();
                    links.insert(jdbc);
                    if (after != null) {
                        tokens.storeToken(after, processorName, SEGMENT);
                    }
                    progress.writeNanos.addAndGet(System.nanoTime() - began);
                }));
                progress.linked += links.size;
                scanFrom = upper;
            }
            await(written);
        } finally {
            writer.shutdownNow();
        }
    }

    private static void await(Future<?> written) {
        try {
            written.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing links", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        }
    }

    /** Reads (scanFrom, scanTo] and links its rows after {@code last}, skipping rows linked before. */
    private Links readChunk(long scanFrom, long scanTo, Last last, Progress progress) {
        long began = System.nanoTime();
        Set<Long> linked = new HashSet<>(jdbc.queryForList(
                "SELECT global_index FROM audit_chain WHERE global_index > ? AND global_index <= ?",
                Long.class, scanFrom, scanTo));
        Links links = new Links(last, Math.toIntExact(Math.min(chunk, scanTo - scanFrom)));
        jdbc.query(connection -> {
            PreparedStatement statement = connection.prepareStatement(ROWS);
            statement.setFetchSize(AuditChainProjection.CHUNK);
            statement.setLong(1, scanFrom);
            statement.setLong(2, scanTo);
            return statement;
        }, rs -> {
            StoredEvent event = StoredEvent.read(rs);
            progress.seen(event.globalIndex());
            if (linked.add(event.globalIndex())) {
                links.add(event);
            }
        });
        progress.readNanos += System.nanoTime() - began;
        return links;
    }

    private Last lastLink() {
        return jdbc.query("SELECT position, link FROM audit_chain ORDER BY position DESC LIMIT 1",
                        (rs, n) -> new Last(rs.getLong("position"), HashChain.unhex(rs.getString("link"))))
                .stream().findFirst().orElse(new Last(0, HashChain.GENESIS));
    }

    private record Last(long position, byte[] link) {
    }

    /** The highest index seen and the indexes skipped just below it. */
    private static final class Progress {
        private long index;
        private final TreeSet<Long> gaps = new TreeSet<>();
        private long linked;
        private long readNanos;
        private final AtomicLong writeNanos = new AtomicLong();

        Progress(long index) {
            this.index = index;
        }

        void seen(long globalIndex) {
            long first = index == Long.MIN_VALUE ? LOWEST_GLOBAL_SEQUENCE : index + 1;
            for (long missing = Math.max(first, globalIndex - MAX_GAP_OFFSET); missing < globalIndex; missing++) {
                gaps.add(missing);
            }
            index = globalIndex;
        }

        GapAwareTrackingToken token() {
            gaps.headSet(index - MAX_GAP_OFFSET).clear();
            return GapAwareTrackingToken.newInstance(index, gaps);
        }
    }

    /** One chunk's links, written with one statement (arrays unnested into rows). */
    private static final class Links {
        private final HashChain.Linker linker = new HashChain.Linker();
        private long position;
        private byte[] previous;
        private final Long[] indexes;
        private final Long[] positions;
        private final String[] hashes;
        private int size;

        Links(Last last, int capacity) {
            this.position = last.position();
            this.previous = last.link();
            this.indexes = new Long[capacity];
            this.positions = new Long[capacity];
            this.hashes = new String[capacity];
        }

        void add(StoredEvent event) {
            previous = linker.link(previous, event);
            indexes[size] = event.globalIndex();
            positions[size] = ++position;
            hashes[size] = HashChain.hex(previous);
            size++;
        }

        Last last() {
            return new Last(position, previous);
        }

        void insert(JdbcTemplate jdbc) {
            if (size == 0) {
                return;
            }
            jdbc.execute((ConnectionCallback<Integer>) connection -> {
                Array a = connection.createArrayOf("bigint", Arrays.copyOf(indexes, size));
                Array b = connection.createArrayOf("bigint", Arrays.copyOf(positions, size));
                Array c = connection.createArrayOf("varchar", Arrays.copyOf(hashes, size));
                try (PreparedStatement statement = connection.prepareStatement(
                        "INSERT INTO audit_chain (global_index, position, link) SELECT * FROM UNNEST(?, ?, ?)")) {
                    statement.setArray(1, a);
                    statement.setArray(2, b);
                    statement.setArray(3, c);
                    return statement.executeUpdate();
                } finally {
                    a.free();
                    b.free();
                    c.free();
                }
            });
        }
    }
}
