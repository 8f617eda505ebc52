package dev.rdeportal.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code rde audit export|verify|access}. */
@Command(name = "audit", description = "The portal's audit history.",
        subcommands = {AuditCommand.Export.class, AuditCommand.Verify.class, AuditCommand.Access.class})
final class AuditCommand {

    @ParentCommand
    Rde rde;

    PortalClient client() throws Exception {
        String token = TokenStore.standard().load()
                .orElseThrow(() -> new IllegalStateException("not signed in: run rde login"));
        return new PortalClient(rde.portalUrl(), token);
    }

    enum Format { jsonl, csv }

    @Command(name = "export", description = "Download the history (or a time range of it) to a file.")
    static final class Export implements Callable<Integer> {

        @ParentCommand
        AuditCommand audit;

        @Spec
        CommandSpec spec;

        @Option(names = "--format", defaultValue = "jsonl", description = "jsonl or csv (default ${DEFAULT-VALUE})")
        Format format;

        @Option(names = "--from", description = "ISO-8601 instant, inclusive")
        Instant from;

        @Option(names = "--to", description = "ISO-8601 instant, exclusive")
        Instant to;

        @Option(names = "--out", required = true, description = "the file to write")
        Path out;

        @Override
        public Integer call() throws Exception {
            String path = exportPath(format, from, to);
            Path tmp = Files.createTempFile(out.toAbsolutePath().getParent(), ".rde-export", ".tmp");
            Progress progress = new Progress(stderr(spec), System::nanoTime);
            long[] counts;
            try (InputStream in = audit.client().stream(path); OutputStream file = Files.newOutputStream(tmp)) {
                counts = copy(in, file, progress);
                // Written in full before it takes the name: a failed download never looks complete.
            } catch (Exception e) {
                Files.deleteIfExists(tmp);
                throw e;
            }
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING);
            progress.done(counts[0], counts[1]);
            return 0;
        }
    }

    static String exportPath(Format format, Instant from, Instant to) {
        List<String> query = new ArrayList<>(List.of("format=" + format.name()));
        if (from != null) {
            query.add("from=" + URLEncoder.encode(from.toString(), StandardCharsets.UTF_8));
        }
        if (to != null) {
            query.add("to=" + URLEncoder.encode(to.toString(), StandardCharsets.UTF_8));
        }
        return "/api/v1/audit/export?" + String.join("&", query);
    }

    /** Copies while counting bytes and entries (lines; for CSV the header line too). */
    static long[] copy(InputStream in, OutputStream out, Progress progress) throws java.io.IOException {
        byte[] buffer = new byte[64 * 1024];
        long bytes = 0;
        long lines = 0;
        for (int n; (n = in.read(buffer)) > 0; ) {
            out.write(buffer, 0, n);
            bytes += n;
            for (int i = 0; i < n; i++) {
                if (buffer[i] == '\n') {
                    lines++;
                }
            }
            progress.update(bytes, lines);
        }
        return new long[] {bytes, lines};
    }

    @Command(name = "verify", description = "Recompute the audit hash chain on the portal; exit 1 if it was altered.")
    static final class Verify implements Callable<Integer> {

        @ParentCommand
        AuditCommand audit;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            JsonNode report = awaitJson(audit.client(), "/api/v1/audit/verify", "verifying", stderr(spec));
            return print(report, spec.commandLine().getOut());
        }
    }

    /**
     * GETs {@code path} on a worker thread while a line on {@code err} shows that the portal is
     * still at it: the portal does the long work (a chain check, a replay) and answers once.
     */
    static JsonNode awaitJson(PortalClient client, String path, String what, PrintStream err) throws Exception {
        CompletableFuture<JsonNode> answer = CompletableFuture.supplyAsync(() -> {
            try {
                return client.getJson(path);
            } catch (Exception e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        });
        Progress progress = new Progress(err, System::nanoTime);
        long started = System.nanoTime();
        while (!answer.isDone()) {
            progress.waiting(what, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
            try {
                answer.get(1, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException stillRunning) {
                // next tick
            } catch (java.util.concurrent.ExecutionException failed) {
                progress.end();
                throw (Exception) (failed.getCause().getCause() instanceof Exception c ? c : failed.getCause());
            }
        }
        progress.end();
        return answer.join();
    }

    @Command(name = "access", description = "Who could open a terminal or preview on which workspace at a past "
            + "instant, and why; replayed from the history by the portal.")
    static final class Access implements Callable<Integer> {

        @ParentCommand
        AuditCommand audit;

        @Spec
        CommandSpec spec;

        @Option(names = "--at", required = true, description = "ISO-8601 instant, e.g. 2026-11-01T09:00:00Z")
        Instant at;

        @Option(names = "--workspace", description = "only this workspace and its sessions")
        String workspace;

        @Option(names = "--json", description = "print the portal's answer as JSON instead of a summary")
        boolean json;

        @Override
        public Integer call() throws Exception {
            return run(audit.client(), stderr(spec));
        }

        int run(PortalClient client, PrintStream err) throws Exception {
            JsonNode report = awaitJson(client, accessPath(at, workspace), "replaying the history", err);
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(PortalClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report));
                out.flush();
            } else {
                printAccess(report, out);
            }
            return 0;
        }
    }

    static String accessPath(Instant at, String workspace) {
        return "/api/v1/audit/access?at=" + URLEncoder.encode(at.toString(), StandardCharsets.UTF_8)
                + (workspace == null || workspace.isBlank() ? ""
                        : "&workspace=" + URLEncoder.encode(workspace.trim(), StandardCharsets.UTF_8));
    }

    /** A summary for people: each workspace with who could reach it and why, then open sessions. */
    static void printAccess(JsonNode report, PrintWriter out) {
        JsonNode sequence = report.get("sequence");
        out.println("at " + report.get("at").asText() + ": "
                + (sequence == null || sequence.isNull() ? "before the first event" : "history up to sequence " + sequence.asLong())
                + ", " + report.get("members").size() + " members, " + report.get("workspaces").size() + " workspaces, "
                + report.get("sessions").size() + " open sessions");
        if (report.path("unreadable").asLong() > 0) {
            out.println("WARNING: " + report.get("unreadable").asLong() + " events could not be read; run rde audit verify");
        }
        JsonNode rules = report.path("firewall").path("rules");
        if (rules.isEmpty()) {
            out.println("firewall: no rules");
        } else {
            List<String> shown = new ArrayList<>();
            rules.forEach(r -> shown.add(r.get("action").asText() + " " + r.get("cidr").asText()));
            out.println("firewall: " + String.join(", ", shown));
        }
        for (JsonNode w : report.get("workspaces")) {
            out.println();
            out.println("workspace " + w.get("id").asText() + " (" + w.get("name").asText() + ") owner "
                    + w.get("owner").asText() + ", " + w.get("status").asText() + ", blueprint "
                    + w.get("blueprintId").asText());
            if (w.get("access").isEmpty()) {
                out.println("  nobody: " + w.path("noAccess").asText());
            }
            for (JsonNode a : w.get("access")) {
                List<String> via = new ArrayList<>();
                a.get("via").forEach(v -> via.add(v.asText()));
                out.println("  " + a.get("email").asText() + " via " + String.join(", ", via) + ": "
                        + a.get("reason").asText());
            }
            JsonNode launch = w.get("launch");
            out.println("  launch again from the blueprint: " + (launch.get("allowed").asBoolean() ? "yes" : "no")
                    + " (" + launch.get("reason").asText() + ")");
        }
        if (!report.get("sessions").isEmpty()) {
            out.println();
            out.println("open sessions:");
            for (JsonNode s : report.get("sessions")) {
                out.println("  " + s.get("type").asText() + "\t" + s.get("workspaceId").asText() + "\t"
                        + s.get("user").asText() + "\t" + s.get("clientIp").asText() + "\tsince "
                        + s.get("openedAt").asText() + "\t" + s.get("firewall").asText());
            }
        }
        out.flush();
    }

    static int print(JsonNode report, PrintWriter out) {
        JsonNode head = report.get("head");
        if (report.get("intact").asBoolean()) {
            out.println("intact: " + report.get("checked").asLong() + " events checked"
                    + (head == null || head.isNull() ? "" : "; head " + head.get("sequence").asLong() + " "
                    + head.get("link").asText()));
        } else {
            JsonNode first = report.get("firstDivergence");
            out.println("NOT INTACT: first divergence at sequence " + first.get("sequence").asLong() + " ("
                    + first.get("kind").asText() + ")");
            for (JsonNode f : report.get("findings")) {
                out.println("  " + f.get("sequence").asLong() + "\t" + f.get("kind").asText() + "\t"
                        + f.get("detail").asText());
            }
        }
        long pending = report.path("pending").asLong();
        if (pending > 0) {
            out.println(pending + " newer events are not linked yet");
        }
        out.flush();
        return report.get("intact").asBoolean() ? 0 : Rde.NOT_INTACT;
    }

    private static PrintStream stderr(CommandSpec spec) {
        return System.err;
    }
}
