package dev.rdeportal.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rdeportal.domain.workspace.WorkspaceLaunchedEvent;
import dev.rdeportal.domain.workspace.WorkspaceRunningEvent;
import dev.rdeportal.domain.workspace.WorkspaceSpec;
import dev.rdeportal.domain.workspace.WorkspaceStopRequestedEvent;
import dev.rdeportal.domain.workspace.WorkspaceStoppedEvent;
import dev.rdeportal.portal.support.PortalHarness;
import dev.rdeportal.portal.support.TestDatabase;
import dev.rdeportal.query.audit.AuditChainCatchUp;
import java.io.BufferedWriter;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Audit benchmarks over a history of one million events, each beside a raw JDBC baseline in the
 * same run: building the audit chain from scratch through the portal's real tracking processor,
 * the JSONL export over HTTP, and chain verification over HTTP.
 * Run with {@code bench/run.sh audit [all|replay|export|verify|access]}; results go in bench/RESULTS.md.
 */
public final class AuditBench {

    static final int EVENTS = Integer.getInteger("rde.bench.audit.events",
            Integer.parseInt(System.getenv().getOrDefault("RDE_BENCH_AUDIT_EVENTS", "1000000")));
    static final String SCAN = "SELECT global_index, event_identifier, aggregate_identifier, sequence_number, "
            + "payload_type, payload_revision, time_stamp, type, payload, meta_data FROM domain_event_entry "
            + "ORDER BY global_index";
    static final int FETCH = 1000;

    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    private AuditBench() {
    }

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Throwable e) {
            // The in-process portal keeps the JVM alive: a failed bench must still end.
            e.printStackTrace();
            System.exit(1);
        }
    }

    private static void run(String[] args) throws Exception {
        String which = args.length == 0 ? "all" : args[0];
        boolean all = which.equals("all");
        Path work = Files.createTempDirectory("rde-bench-audit");
        System.out.printf("machine: %d cores, %d MiB max heap, %s %s; load %s%n",
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20,
                System.getProperty("os.name"), System.getProperty("java.version"), load());
        long benchStart = System.nanoTime();
        // RDE_BENCH_PORTAL_ARGS: extra portal arguments for diagnostic runs, e.g. Axon settings.
        List<String> portalArgs = new java.util.ArrayList<>(List.of("--logging.level.root=WARN", "--logging.level.rde=WARN",
                "--logging.level.dev.rdeportal.query.audit.AuditChainCatchUp=INFO"));
        String extra = System.getenv().getOrDefault("RDE_BENCH_PORTAL_ARGS", "").trim();
        if (!extra.isEmpty()) {
            portalArgs.addAll(List.of(extra.split("\\s+")));
            System.out.println("portal arguments added: " + extra);
        }
        try (PortalHarness portal = PortalHarness.start(TestDatabase.create(), work, false,
                portalArgs.toArray(String[]::new))) {
            EventProcessingConfiguration processing = portal.context().getBean(EventProcessingConfiguration.class);
            // The synthetic history is for the audit chain only: no projection or saga may act on it.
            processing.eventProcessors().values().forEach(EventProcessor::shutDown);
            JdbcTemplate jdbc = portal.context().getBean(JdbcTemplate.class);
            DataSource dataSource = portal.context().getBean(DataSource.class);
            long fillStart = System.nanoTime();
            fill(portal, dataSource, jdbc);
            long total = jdbc.queryForObject("SELECT COUNT(*) FROM domain_event_entry", Long.class);
            System.out.printf("history: %,d events in the table (filled in %.1f s)%n", total, seconds(fillStart));
            if (all || which.contains("replay") || which.contains("verify")) {
                replay(portal, processing, jdbc, dataSource, total);
            }
            if (all || which.contains("export")) {
                export(portal, dataSource, total);
            }
            if (all || which.contains("verify")) {
                verify(portal, dataSource, total);
            }
            if (all || which.contains("access")) {
                access(portal, dataSource, total);
            }
        }
        System.out.printf("bench took %.0f s; load %s%n", seconds(benchStart), load());
        System.exit(0);
    }

    // ---- the history: four real workspace event types, serialized by the portal's own serializer

    static void fill(PortalHarness portal, DataSource dataSource, JdbcTemplate jdbc) throws Exception {
        Serializer serializer = portal.context().getBean(Serializer.class);
        var spec = new WorkspaceSpec("debian:12", 500, 512, 1, List.of(8000), Map.of("LANG", "C.UTF-8"),
                "exec python3 -m http.server \"$PORT\" --bind 127.0.0.1");
        List<Object> events = List.of(
                new WorkspaceLaunchedEvent("@W@", "dev@example.com", "bench @W@", "bp-sample", "local", spec, "op-a@W@"),
                new WorkspaceRunningEvent("@W@", "op-a@W@", Map.of(8000, 40000)),
                new WorkspaceStopRequestedEvent("@W@", "dev@example.com", "op-b@W@", null),
                new WorkspaceStoppedEvent("@W@", "op-b@W@"));
        StringBuilder payloads = new StringBuilder();
        StringBuilder types = new StringBuilder();
        StringBuilder revisions = new StringBuilder();
        for (Object event : events) {
            SerializedObject<byte[]> s = serializer.serialize(event, byte[].class);
            String sep = payloads.length() == 0 ? "" : ", ";
            payloads.append(sep).append(literal(new String(s.getData(), StandardCharsets.UTF_8)));
            types.append(sep).append(literal(s.getType().getName()));
            revisions.append(sep).append(s.getType().getRevision() == null ? "NULL" : literal(s.getType().getRevision()));
        }
        String meta = new String(serializer.serialize(MetaData.with("actor", "dev@example.com")
                .and("clientIp", "203.0.113.@I@").and("correlationId", "@C@").and("causationId", "@E@")
                .and("traceId", "@C@"), byte[].class).getData(), StandardCharsets.UTF_8);
        long existing = jdbc.queryForObject("SELECT COUNT(*) FROM domain_event_entry", Long.class);
        long wanted = EVENTS - existing;
        String sql = "INSERT INTO domain_event_entry (event_identifier, meta_data, payload, payload_revision, "
                + "payload_type, time_stamp, aggregate_identifier, sequence_number, type) "
                + "SELECT u.id, convert_to(replace(replace(replace(replace(" + literal(meta)
                + ", '@I@', (g % 250 + 1)::text), '@C@', 'c-' || (g / 4)), '@E@', u.id), '@W@', 'ws-b' || (g / 4)), 'UTF8'), "
                + "convert_to(replace((ARRAY[" + payloads + "])[g % 4 + 1], '@W@', 'ws-b' || (g / 4)), 'UTF8'), "
                + "(ARRAY[" + revisions + "]::text[])[g % 4 + 1], (ARRAY[" + types + "])[g % 4 + 1], "
                + "to_char(TIMESTAMP '2026-06-01 00:00:00' + g * INTERVAL '7 ms', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), "
                + "'ws-b' || (g / 4), g % 4, 'Workspace' "
                + "FROM generate_series(?::bigint, ?::bigint) g, LATERAL (SELECT gen_random_uuid()::text AS id, g AS k) u "
                + "ORDER BY g";
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            long step = 250_000;
            for (long from = 0; from < wanted; from += step) {
                try (PreparedStatement st = c.prepareStatement(sql)) {
                    st.setLong(1, from);
                    st.setLong(2, Math.min(wanted, from + step) - 1);
                    st.executeUpdate();
                }
            }
            try (Statement st = c.createStatement()) {
                st.execute("VACUUM ANALYZE domain_event_entry");
            }
        }
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    // ---- 1. the audit chain built from scratch by the portal's tracking processor, beside a raw scan

    static void replay(PortalHarness portal, EventProcessingConfiguration processing, JdbcTemplate jdbc,
                       DataSource dataSource, long total) throws Exception {
        TrackingEventProcessor processor = processing.eventProcessor("audit-chain", TrackingEventProcessor.class)
                .orElseThrow();
        long head = jdbc.queryForObject("SELECT MAX(global_index) FROM domain_event_entry", Long.class);
        double raw1 = rawScan(dataSource, total, null);

        // The tracking processor alone, as before the bulk catch-up existed (for comparison).
        double processorOnly = Double.NaN;
        if (!"0".equals(System.getenv("RDE_BENCH_AUDIT_PROCESSOR_ONLY"))) {
            restartChain(processor, jdbc);
            long start = System.nanoTime();
            processor.start();
            awaitHead(processor, head, start);
            processorOnly = checkChain(jdbc, total) / seconds(start);
            System.out.printf("replay, tracking processor only: %.0f events/s%n", processorOnly);
        }

        // The product's path when the portal starts behind: bulk catch-up, then the processor from there.
        restartChain(processor, jdbc);
        AuditChainCatchUp catchUp = portal.context().getBean(AuditChainCatchUp.class);
        long start = System.nanoTime();
        long bulk = catchUp.run();
        double bulkSeconds = seconds(start);
        processor.start();
        awaitHead(processor, head, start);
        double seconds = seconds(start);
        long linked = checkChain(jdbc, total);
        double ours = total / seconds;
        double raw2 = rawScan(dataSource, total, null);
        double raw = (raw1 + raw2) / 2;
        System.out.printf("replay: %,d links in %.1f s (%,d in bulk in %.1f s, then the processor); raw scans %.0f and %.0f events/s%n",
                linked, seconds, bulk, bulkSeconds, raw1, raw2);
        report("audit chain built from scratch as the portal does at start (bulk catch-up, then its tracking processor), events/s ("
                + total + " events)", ours,
                "raw JDBC scan in global order, fetch size " + FETCH + ", mean of one before and one after", raw);
        if (!Double.isNaN(processorOnly)) {
            report("the same by the tracking processor alone, events/s", processorOnly, "the same raw scan", raw);
        }
        System.out.printf("  targets: >= 50,000 events/s: %s; >= 0.3x raw scan: %s%n",
                ours >= 50_000 ? "met" : "MISSED", ours / raw >= 0.3 ? "met" : "MISSED");
    }

    /** Stops the chain's processor and forgets its links and token: a first start over this history. */
    private static void restartChain(TrackingEventProcessor processor, JdbcTemplate jdbc) {
        processor.shutDown();
        jdbc.update("DELETE FROM audit_chain");
        jdbc.update("DELETE FROM token_entry WHERE processor_name = 'audit-chain'");
    }

    private static void awaitHead(TrackingEventProcessor processor, long head, long start) throws InterruptedException {
        long lastReport = start;
        while (true) {
            OptionalLong position = processor.processingStatus().values().stream()
                    .map(EventTrackerStatus::getCurrentPosition).filter(OptionalLong::isPresent)
                    .mapToLong(OptionalLong::getAsLong).max();
            if (position.isPresent() && position.getAsLong() >= head) {
                return;
            }
            if (processor.isError() || System.nanoTime() - start > 900e9) {
                throw new IllegalStateException("the audit-chain processor did not reach the head: " + position);
            }
            if (System.nanoTime() - lastReport > 10e9) {
                lastReport = System.nanoTime();
                System.out.printf("  replay: token at %s after %.0f s%n", position, seconds(start));
            }
            Thread.sleep(20);
        }
    }

    private static long checkChain(JdbcTemplate jdbc, long total) {
        long linked = jdbc.queryForObject("SELECT COUNT(*) FROM audit_chain", Long.class);
        if (linked != total) {
            throw new IllegalStateException("the chain has " + linked + " links for " + total + " events");
        }
        return linked;
    }

    /** Reads every row's columns, payload and metadata bytes in global order; hands each row to {@code row}. */
    static double rawScan(DataSource dataSource, long total, RowSink row) throws Exception {
        long start = System.nanoTime();
        long rows = 0;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false); // PostgreSQL streams with a fetch size only inside a transaction
            try (PreparedStatement st = c.prepareStatement(SCAN)) {
                st.setFetchSize(FETCH);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        long index = rs.getLong(1);
                        String id = rs.getString(2);
                        String aggregate = rs.getString(3);
                        long sequence = rs.getLong(4);
                        String payloadType = rs.getString(5);
                        String revision = rs.getString(6);
                        String stamp = rs.getString(7);
                        String type = rs.getString(8);
                        byte[] payload = rs.getBytes(9);
                        byte[] meta = rs.getBytes(10);
                        if (row != null) {
                            row.accept(index, id, aggregate, sequence, payloadType, revision, stamp, type, payload, meta);
                        }
                        rows++;
                    }
                }
            }
            c.rollback();
        }
        if (rows != total) {
            throw new IllegalStateException("raw scan read " + rows + " rows, expected " + total);
        }
        return rows / seconds(start);
    }

    interface RowSink {
        void accept(long index, String id, String aggregate, long sequence, String payloadType, String revision,
                    String stamp, String type, byte[] payload, byte[] meta) throws Exception;
    }

    // ---- 2. JSONL export over HTTP, beside the raw scan writing JSON lines of the same fields

    static void export(PortalHarness portal, DataSource dataSource, long total) throws Exception {
        String admin = portal.login("admin@example.com", "admin");
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create(portal.baseUrl() + "/api/v1/audit/export?format=jsonl"))
                .header("Authorization", "Bearer " + admin).build();
        long before = usedAfterGc();
        AtomicLong peak = new AtomicLong();
        AtomicBoolean running = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (running.get()) {
                peak.accumulateAndGet(MEMORY.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "heap-sampler");
        sampler.setDaemon(true);
        sampler.start();
        long start = System.nanoTime();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("export answered " + response.statusCode());
        }
        long lines = 0;
        long bytes = 0;
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = response.body()) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                bytes += n;
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        lines++;
                    }
                }
            }
        }
        double seconds = seconds(start);
        running.set(false);
        sampler.join();
        long after = usedAfterGc();
        if (lines != total) {
            throw new IllegalStateException("export had " + lines + " lines for " + total + " events");
        }

        ObjectMapper json = new ObjectMapper();
        CountingNull sink = new CountingNull();
        BufferedWriter out = new BufferedWriter(new OutputStreamWriter(sink, StandardCharsets.UTF_8), 64 * 1024);
        long rawStart = System.nanoTime();
        rawScan(dataSource, total, (index, id, aggregate, sequence, payloadType, revision, stamp, type, payload, meta) -> {
            JsonNode m = json.readTree(meta);
            ObjectNode line = json.createObjectNode();
            String simple = payloadType.substring(payloadType.lastIndexOf('.') + 1);
            line.put("sequence", index);
            line.put("time", stamp);
            line.put("actor", m.path("actor").asText(null));
            line.put("ip", m.path("clientIp").asText(null));
            line.put("type", simple);
            line.put("subject", aggregate);
            line.put("summary", m.path("actor").asText("unknown actor") + ": " + simple + " " + aggregate);
            line.put("eventId", id);
            line.put("correlationId", m.path("correlationId").asText(null));
            line.set("payload", json.readTree(payload));
            out.write(json.writeValueAsString(line));
            out.write('\n');
        });
        out.flush();
        double rawSeconds = seconds(rawStart);
        System.out.printf("export: %,d lines, %.1f MiB in %.1f s (%.1f MiB/s); baseline %.1f MiB in %.1f s%n",
                lines, bytes / 1048576.0, seconds, bytes / 1048576.0 / seconds, sink.count / 1048576.0, rawSeconds);
        System.out.printf("export: JVM heap used after GC %.1f MiB before, %.1f MiB after; highest sampled during "
                + "the export (garbage included) %.1f MiB of %d MiB max%n", before / 1048576.0, after / 1048576.0,
                peak.get() / 1048576.0, Runtime.getRuntime().maxMemory() >> 20);
        report("JSONL export of " + total + " events over HTTP, events/s", lines / seconds,
                "raw JDBC scan writing JSON lines of the same fields to a null stream", total / rawSeconds);
        System.out.printf("  target: export of 1M events <= 30 s: %s (%.1f s)%n", seconds <= 30 ? "met" : "MISSED", seconds);
    }

    private static long usedAfterGc() throws InterruptedException {
        long lowest = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
            lowest = Math.min(lowest, MEMORY.getHeapMemoryUsage().getUsed());
        }
        return lowest;
    }

    static final class CountingNull extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }

    // ---- 3. chain verification over HTTP, beside the raw scan hashing each row with SHA-256

    static void verify(PortalHarness portal, DataSource dataSource, long total) throws Exception {
        String admin = portal.login("admin@example.com", "admin");
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create(portal.baseUrl() + "/api/v1/audit/verify"))
                .header("Authorization", "Bearer " + admin).build();
        long start = System.nanoTime();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        double seconds = seconds(start);
        JsonNode report = new ObjectMapper().readTree(response.body());
        if (response.statusCode() != 200 || !report.path("intact").asBoolean() || report.path("checked").asLong() != total) {
            throw new IllegalStateException("verify answered " + response.statusCode() + " " + response.body());
        }

        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        byte[][] previous = {new byte[32]};
        long rawStart = System.nanoTime();
        rawScan(dataSource, total, (index, id, aggregate, sequence, payloadType, revision, stamp, type, payload, meta) -> {
            sha256.update(previous[0]);
            sha256.update(id.getBytes(StandardCharsets.UTF_8));
            sha256.update(aggregate.getBytes(StandardCharsets.UTF_8));
            sha256.update(payloadType.getBytes(StandardCharsets.UTF_8));
            sha256.update(stamp.getBytes(StandardCharsets.UTF_8));
            sha256.update(payload);
            sha256.update(meta);
            previous[0] = sha256.digest();
        });
        double rawSeconds = seconds(rawStart);
        System.out.printf("verify: %,d links checked in %.1f s, intact; baseline %.1f s%n",
                report.path("checked").asLong(), seconds, rawSeconds);
        report("GET /api/v1/audit/verify over " + total + " events, events/s", total / seconds,
                "raw JDBC scan + SHA-256 of each row, chained", total / rawSeconds);
    }

    // ---- 4. time travel: the access picture at an instant after the whole history, replayed from the events

    static void access(PortalHarness portal, DataSource dataSource, long total) throws Exception {
        String admin = portal.login("admin@example.com", "admin");
        HttpClient http = HttpClient.newHttpClient();
        // Now: after the synthetic history (2026-06-01 + 7 ms per event) and the portal's own first events.
        String at = java.time.Instant.now().toString();
        HttpRequest request = HttpRequest.newBuilder(URI.create(portal.baseUrl() + "/api/v1/audit/access?at=" + at))
                .header("Authorization", "Bearer " + admin).build();
        double raw1 = rawScan(dataSource, total, null);
        long start = System.nanoTime();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        double seconds = seconds(start);
        JsonNode report = new ObjectMapper().readTree(response.body());
        if (response.statusCode() != 200 || report.path("unreadable").asLong() != 0) {
            throw new IllegalStateException("access answered " + response.statusCode() + " "
                    + response.body().substring(0, Math.min(500, response.body().length())));
        }
        double raw2 = rawScan(dataSource, total, null);
        double raw = (raw1 + raw2) / 2;
        System.out.printf("access: replayed %,d events up to %s in %.1f s (sequence %s, %,d bytes); raw scans %.0f and %.0f events/s%n",
                total, at, seconds, report.path("sequence").asText(), response.body().length(), raw1, raw2);
        report("time travel GET /api/v1/audit/access?at=T, T after all " + total + " events, events/s", total / seconds,
                "raw JDBC scan in global order, fetch size " + FETCH + ", mean of one before and one after", raw);
        System.out.printf("  targets (as for replay): >= 50,000 events/s: %s; >= 0.3x raw scan: %s%n",
                total / seconds >= 50_000 ? "met" : "MISSED", total / seconds / raw >= 0.3 ? "met" : "MISSED");
    }

    // ----

    private static void report(String what, double ours, String baselineName, double baseline) {
        System.out.printf("RESULT %s: ours %.0f | baseline (%s) %.0f | ratio ours/baseline %.2f%n",
                what, ours, baselineName, baseline, ours / baseline);
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (Exception e) {
            return "?";
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
