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

/** {@code rde audit export|verify}. */
@Command(name = "audit", description = "The portal's audit history.",
        subcommands = {AuditCommand.Export.class, AuditCommand.Verify.class})
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
            PortalClient client = audit.client();
            CompletableFuture<JsonNode> report = CompletableFuture.supplyAsync(() -> {
                try {
                    return client.getJson("/api/v1/audit/verify");
                } catch (Exception e) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
            });
            Progress progress = new Progress(stderr(spec), System::nanoTime);
            long started = System.nanoTime();
            while (!report.isDone()) {
                // The portal does the work; show that it is still going.
                progress.waiting("verifying", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
                try {
                    report.get(1, TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException stillRunning) {
                    // next tick
                } catch (java.util.concurrent.ExecutionException failed) {
                    progress.end();
                    throw (Exception) (failed.getCause().getCause() instanceof Exception c ? c : failed.getCause());
                }
            }
            progress.end();
            return print(report.join(), spec.commandLine().getOut());
        }
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
