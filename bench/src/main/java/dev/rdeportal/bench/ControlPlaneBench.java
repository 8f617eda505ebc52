package dev.rdeportal.bench;

import dev.rdeportal.agent.runtime.WorkspaceSpec;
import dev.rdeportal.agent.runtime.local.LocalRuntime;
import dev.rdeportal.agent.runtime.local.LocalRuntimeConfig;
import dev.rdeportal.domain.MetaDataKeys;
import dev.rdeportal.domain.blueprint.BlueprintDefinition;
import dev.rdeportal.domain.blueprint.BlueprintView;
import dev.rdeportal.domain.blueprint.CreateBlueprintCommand;
import dev.rdeportal.domain.blueprint.FindBlueprintQuery;
import dev.rdeportal.domain.blueprint.Resources;
import dev.rdeportal.domain.blueprint.UpdateBlueprintCommand;
import dev.rdeportal.domain.workspace.WorkspaceLaunchedEvent;
import dev.rdeportal.domain.workspace.WorkspaceRunningEvent;
import dev.rdeportal.domain.workspace.WorkspaceStopRequestedEvent;
import dev.rdeportal.domain.workspace.WorkspaceStoppedEvent;
import dev.rdeportal.portal.support.Api;
import dev.rdeportal.portal.support.PortalHarness;
import dev.rdeportal.portal.support.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Control-plane benchmarks, each beside its baseline in the same run, reporting the ratio.
 * Run with {@code bench/run.sh [all|launch|lag|commands|replay]}; results go in bench/RESULTS.md.
 */
public final class ControlPlaneBench {

    private static final MetaData BENCH = MetaData.with(MetaDataKeys.ACTOR, "bench").and(MetaDataKeys.CLIENT_IP, "127.0.0.1");

    private ControlPlaneBench() {
    }

    public static void main(String[] args) throws Exception {
        String which = args.length == 0 ? "all" : args[0];
        Path work = Files.createTempDirectory("rde-bench");
        System.out.printf("machine: %d cores, %d MiB max heap, %s %s%n", Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20, System.getProperty("os.name"), System.getProperty("java.version"));
        try (PortalHarness portal = PortalHarness.start(TestDatabase.create(), work, true,
                "--logging.level.root=WARN", "--logging.level.rde=WARN")) {
            if (which.equals("all") || which.equals("launch")) {
                launch(portal, work);
            }
            if (which.equals("all") || which.equals("lag")) {
                lag(portal);
            }
            if (which.equals("all") || which.equals("commands")) {
                commands(portal);
            }
            if (which.equals("all") || which.equals("replay")) {
                replay(portal);
            }
        }
        System.exit(0);
    }

    // ---- 1. launch -> RUNNING through the REST API, beside the same provisioning on the runtime alone

    static void launch(PortalHarness portal, Path work) throws Exception {
        Api api = portal.api();
        String token = portal.login("alice@example.com", "alice");
        awaitAgent(api, portal.login("admin@example.com", "admin"));
        int count = 30;
        int clients = 3;
        // warm-up
        roundTrips(api, token, 3, 1, "warm");
        long start = System.nanoTime();
        List<String> ids = roundTrips(api, token, count, clients, "bench");
        double ours = count / seconds(start);
        for (String id : ids) {
            api.delete("/api/v1/workspaces/" + id, token);
        }

        Path runtimeRoot = work.resolve("baseline-runtime");
        LocalRuntime runtime = LocalRuntime.open(LocalRuntimeConfig.defaults(runtimeRoot));
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long baseStart = System.nanoTime();
        List<Future<?>> done = new ArrayList<>();
        AtomicInteger n = new AtomicInteger();
        for (int i = 0; i < count; i++) {
            done.add(pool.submit(() -> runtime.provision(new WorkspaceSpec("ws-base" + n.incrementAndGet(), "base", "bench",
                    "bp", "debian:12", 500, 512, 1, List.of(8000), Map.of(),
                    "exec python3 -m http.server \"$PORT\" --bind 127.0.0.1"))));
        }
        for (Future<?> f : done) {
            f.get();
        }
        double baseline = count / seconds(baseStart);
        pool.shutdown();
        for (int i = 1; i <= count; i++) {
            runtime.delete("ws-base" + i);
        }
        runtime.close();
        report("launch->RUNNING round trips/s (REST, " + clients + " clients, " + count + " workspaces)",
                ours, "runtime.provision alone", baseline);
    }

    private static List<String> roundTrips(Api api, String token, int count, int clients, String prefix) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        AtomicInteger n = new AtomicInteger();
        List<Future<String>> futures = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            futures.add(pool.submit(() -> {
                Api.Response r = api.post("/api/v1/workspaces",
                        "{\"blueprintId\":\"bp-sample\",\"name\":\"" + prefix + n.incrementAndGet() + "\"}", token);
                if (r.status() != 202) {
                    throw new IllegalStateException("launch answered " + r.status() + " " + r.body());
                }
                String id = r.body().get("id").asText();
                api.awaitWorkspace(id, token, "RUNNING"::equals, Duration.ofSeconds(60));
                return id;
            }));
        }
        List<String> ids = new ArrayList<>();
        for (Future<String> f : futures) {
            ids.add(f.get());
        }
        pool.shutdown();
        return ids;
    }

    // ---- 2. projection lag at a steady 50 commands/s, beside a raw JDBC write -> R2DBC read

    static void lag(PortalHarness portal) throws Exception {
        CommandGateway commands = portal.context().getBean(CommandGateway.class);
        QueryGateway queries = portal.context().getBean(QueryGateway.class);
        String id = "bp-lag";
        commands.sendAndWait(GenericCommandMessage.asCommandMessage(
                new CreateBlueprintCommand(id, definition(0), "bench")).andMetaData(BENCH));
        awaitStartCommand(queries, id, 0);
        int total = 500;
        long[] lags = new long[total];
        long period = 1_000_000_000L / 50;
        long next = System.nanoTime();
        for (int i = 1; i <= total; i++) {
            while (System.nanoTime() < next) {
                Thread.onSpinWait();
            }
            next += period;
            commands.sendAndWait(GenericCommandMessage.asCommandMessage(
                    new UpdateBlueprintCommand(id, definition(i), "bench")).andMetaData(BENCH));
            long accepted = System.nanoTime();
            awaitStartCommand(queries, id, i);
            lags[i - 1] = System.nanoTime() - accepted;
        }
        Arrays.sort(lags);

        JdbcTemplate jdbc = portal.context().getBean(JdbcTemplate.class);
        var db = portal.context().getBean(org.springframework.r2dbc.core.DatabaseClient.class);
        jdbc.execute("CREATE TABLE IF NOT EXISTS bench_visibility (id VARCHAR(64) PRIMARY KEY, v INTEGER NOT NULL)");
        jdbc.update("INSERT INTO bench_visibility (id, v) VALUES ('x', 0)");
        long[] raw = new long[total];
        next = System.nanoTime();
        for (int i = 1; i <= total; i++) {
            while (System.nanoTime() < next) {
                Thread.onSpinWait();
            }
            next += period;
            jdbc.update("UPDATE bench_visibility SET v = ? WHERE id = 'x'", i);
            long written = System.nanoTime();
            int want = i;
            while (db.sql("SELECT v FROM bench_visibility WHERE id = 'x'").map(row -> row.get(0, Integer.class))
                    .one().block() != want) {
                Thread.onSpinWait();
            }
            raw[i - 1] = System.nanoTime() - written;
        }
        Arrays.sort(raw);
        double p50 = millis(lags[total / 2]);
        double p99 = millis(lags[(int) (total * 0.99) - 1]);
        double rawP50 = millis(raw[total / 2]);
        double rawP99 = millis(raw[(int) (total * 0.99) - 1]);
        System.out.printf("projection lag at 50 commands/s over %d commands: p50 %.1f ms, p99 %.1f ms "
                        + "(target p99 <= 100 ms: %s)%n", total, p50, p99, p99 <= 100 ? "met" : "MISSED");
        report("projection lag p99 (ms, lower is better)", p99, "raw JDBC write -> R2DBC read p99", rawP99);
        report("projection lag p50 (ms, lower is better)", p50, "raw JDBC write -> R2DBC read p50", rawP50);
    }

    private static void awaitStartCommand(QueryGateway queries, String id, int version) {
        String want = "v" + version;
        while (true) {
            Optional<BlueprintView> view = queries.query(new FindBlueprintQuery(id),
                    ResponseTypes.optionalInstanceOf(BlueprintView.class)).join();
            if (view.isPresent() && want.equals(view.get().details().startCommand())) {
                return;
            }
            Thread.onSpinWait();
        }
    }

    private static BlueprintDefinition definition(int version) {
        return new BlueprintDefinition("lag", "local", "debian:12", new Resources(500, 512, 1), List.of(), Map.of(),
                "v" + version);
    }

    // ---- 3. commands/s, one event each, 8 clients, beside raw single-row-commit INSERTs into the event table

    static void commands(PortalHarness portal) throws Exception {
        CommandGateway commands = portal.context().getBean(CommandGateway.class);
        DataSource dataSource = portal.context().getBean(DataSource.class);
        int clients = 8;
        Duration duration = Duration.ofSeconds(15);
        runClients(clients, Duration.ofSeconds(3), i -> create(commands, i)); // warm-up
        double ours = runClients(clients, duration, i -> create(commands, i));
        byte[] payload = ("{\"blueprintId\":\"bp-x\",\"details\":{\"name\":\"bench\",\"clusterId\":\"local\","
                + "\"image\":\"debian:12\",\"resources\":{\"cpuMillis\":500,\"memoryMib\":512,\"storageGib\":1},"
                + "\"ports\":[],\"env\":{},\"startCommand\":null},\"createdBy\":\"bench\"}").getBytes();
        byte[] meta = "{\"actor\":\"bench\",\"clientIp\":\"127.0.0.1\"}".getBytes();
        double raw = runClients(clients, duration, i -> {
            try (Connection c = dataSource.getConnection();
                 PreparedStatement st = c.prepareStatement("INSERT INTO domain_event_entry (event_identifier, meta_data, "
                         + "payload, payload_revision, payload_type, time_stamp, aggregate_identifier, sequence_number, type) "
                         + "VALUES (?, ?, ?, '1', 'dev.rdeportal.domain.blueprint.BlueprintCreatedEvent', ?, ?, 0, 'Raw')")) {
                c.setAutoCommit(true);
                String id = UUID.randomUUID().toString();
                st.setString(1, id);
                st.setBytes(2, meta);
                st.setBytes(3, payload);
                st.setString(4, Instant.now().toString());
                st.setString(5, "raw-" + id);
                st.executeUpdate();
            }
        });
        report("commands/s, one event each, " + clients + " clients", ours,
                "raw single-row-commit INSERTs into domain_event_entry", raw);
    }

    private static void create(CommandGateway commands, int i) {
        commands.sendAndWait(GenericCommandMessage.asCommandMessage(new CreateBlueprintCommand(
                "bp-c" + UUID.randomUUID().toString().substring(0, 12), definition(i), "bench")).andMetaData(BENCH));
    }

    interface Work {
        void run(int i) throws Exception;
    }

    private static double runClients(int clients, Duration duration, Work work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        AtomicInteger done = new AtomicInteger();
        long end = System.nanoTime() + duration.toNanos();
        long start = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            futures.add(pool.submit(() -> {
                while (System.nanoTime() < end) {
                    work.run(done.incrementAndGet());
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        return done.get() / seconds(start);
    }

    // ---- 4. replay of the workspace projection over 100k events, beside reading the same events

    static void replay(PortalHarness portal) throws Exception {
        EventStorageEngine engine = portal.context().getBean(EventStorageEngine.class);
        EventProcessingConfiguration processing = portal.context().getBean(EventProcessingConfiguration.class);
        TrackingEventProcessor processor = processing.eventProcessor("workspaces", TrackingEventProcessor.class).orElseThrow();
        // The synthetic history must not reach the lifecycle saga (it would order real provisions)
        // nor be projected live: the projection reads it only in the measured replay.
        processing.eventProcessor("WorkspaceLifecycleSagaProcessor").orElseThrow().shutDown();
        processor.shutDown();
        int workspaces = 25_000;
        var spec = new dev.rdeportal.domain.workspace.WorkspaceSpec("debian:12", 500, 512, 1, List.of(8000), Map.of(), "run");
        List<GenericDomainEventMessage<?>> batch = new ArrayList<>();
        for (int w = 0; w < workspaces; w++) {
            String id = "ws-r" + w;
            batch.add(new GenericDomainEventMessage<>("Workspace", id, 0,
                    new WorkspaceLaunchedEvent(id, "replay@example.com", "r" + w, "bp-sample", "no-such-cluster", spec,
                            "op-a" + w), BENCH));
            batch.add(new GenericDomainEventMessage<>("Workspace", id, 1, new WorkspaceRunningEvent(id, "op-a" + w, Map.of(8000, 40000)), BENCH));
            batch.add(new GenericDomainEventMessage<>("Workspace", id, 2, new WorkspaceStopRequestedEvent(id, "replay@example.com", "op-b" + w, null), BENCH));
            batch.add(new GenericDomainEventMessage<>("Workspace", id, 3, new WorkspaceStoppedEvent(id, "op-b" + w), BENCH));
            if (batch.size() >= 2000) {
                engine.appendEvents(batch);
                batch.clear();
            }
        }
        engine.appendEvents(batch);
        int events = workspaces * 4;

        processor.resetTokens();
        long start = System.nanoTime();
        processor.start();
        Api.sleep(200);
        awaitCaughtUp(processor);
        double ours = events / seconds(start);

        EventStore store = portal.context().getBean(EventStore.class);
        long readStart = System.nanoTime();
        try (var stream = store.openStream(null)) {
            long read = 0;
            while (read < events && stream.hasNextAvailable(5, java.util.concurrent.TimeUnit.SECONDS)) {
                stream.nextAvailable().getPayload();
                read++;
            }
        }
        double raw = events / seconds(readStart);
        report("workspace projection replay, events/s over " + events + " workspace events (plus the rest)",
                ours, "reading and deserializing the event stream alone", raw);
    }

    private static void awaitCaughtUp(TrackingEventProcessor processor) {
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (System.nanoTime() < deadline) {
            boolean caughtUp = !processor.processingStatus().isEmpty()
                    && processor.processingStatus().values().stream().allMatch(s -> s.isCaughtUp() && !s.isReplaying());
            if (caughtUp) {
                return;
            }
            Api.sleep(50);
        }
        throw new IllegalStateException("projection did not catch up");
    }

    private static void awaitAgent(Api api, String admin) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            var body = api.get("/api/v1/clusters", admin).body();
            if (body != null && body.toString().contains("\"connected\":true")) {
                return;
            }
            Api.sleep(200);
        }
        throw new IllegalStateException("the local agent did not connect");
    }

    private static void report(String what, double ours, String baselineName, double baseline) {
        System.out.printf("RESULT %s: ours %.2f | baseline (%s) %.2f | ratio ours/baseline %.2f%n",
                what, ours, baselineName, baseline, ours / baseline);
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }
}
