package dev.rdeportal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CliTest {

    @TempDir
    Path dir;

    @Test
    void argumentsParseIntoTheExportRequest() {
        CommandLine cli = Rde.commandLine();
        CommandLine.ParseResult parsed = cli.parseArgs("--portal", "https://portal.example.com/", "audit", "export",
                "--format", "csv", "--from", "2025-03-01T00:00:00Z", "--out", "x.csv");
        AuditCommand.Export export = parsed.subcommand().subcommand().commandSpec().commandLine().getCommand();

        assertThat(export.format).isEqualTo(AuditCommand.Format.csv);
        assertThat(AuditCommand.exportPath(export.format, export.from, export.to))
                .isEqualTo("/api/v1/audit/export?format=csv&from=2025-03-01T00%3A00%3A00Z");
        Rde rde = cli.getCommand();
        assertThat(rde.portalUrl().toString()).isEqualTo("https://portal.example.com");
    }

    @Test
    void aMissingOutFileOrBadFormatIsAUsageError() {
        StringWriter err = new StringWriter();
        CommandLine cli = Rde.commandLine();
        cli.setErr(new PrintWriter(err));

        assertThat(cli.execute("audit", "export", "--format", "xml", "--out", "f")).isEqualTo(2);
        assertThat(cli.execute("audit", "export")).isEqualTo(2);
        assertThat(err.toString()).contains("--out").contains("xml");
    }

    @Test
    void theTokenIsReadableByItsOwnerOnly() throws Exception {
        TokenStore store = new TokenStore(dir.resolve("rde").resolve("token"));
        store.save("eyJ.secret");
        store.save("eyJ.newer");

        assertThat(store.load()).contains("eyJ.newer");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file()))).isEqualTo("rw-------");
    }

    @Test
    void progressCountsBytesAndEntriesOnStderr() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        AtomicLong now = new AtomicLong();
        Progress progress = new Progress(new PrintStream(err, true, StandardCharsets.UTF_8), () -> now.addAndGet(100_000_000L));
        byte[] body = "a\nb\nc\n".repeat(50_000).getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream file = new ByteArrayOutputStream();

        long[] counts = AuditCommand.copy(new ByteArrayInputStream(body), file, progress);
        progress.done(counts[0], counts[1]);

        assertThat(file.toByteArray()).isEqualTo(body);
        assertThat(counts).containsExactly(body.length, 150_000);
        String shown = err.toString(StandardCharsets.UTF_8);
        assertThat(shown).as("a line while copying, rewritten in place").contains("\r192.0 KiB, 98,304 entries");
        assertThat(shown).endsWith("\r293.0 KiB, 150,000 entries" + System.lineSeparator());
    }

    @Test
    void verifyNamesEachFindingAndExitsNonZero() throws Exception {
        JsonNode report = PortalClient.JSON.readTree("""
                {"intact":false,"checked":9,"pending":0,"head":{"sequence":9,"position":9,"link":"ab"},
                 "firstDivergence":{"sequence":0,"kind":"inserted","detail":"d0"},
                 "findings":[{"sequence":0,"kind":"inserted","detail":"d0"},{"sequence":4,"kind":"deleted","detail":"d4"}],
                 "truncated":false}""");
        StringWriter out = new StringWriter();

        assertThat(AuditCommand.print(report, new PrintWriter(out))).isEqualTo(Rde.NOT_INTACT);
        assertThat(out.toString()).contains("first divergence at sequence 0 (inserted)").contains("4\tdeleted\td4");
    }

    @Test
    void anInstantOptionMustBeIso() {
        StringWriter err = new StringWriter();
        CommandLine cli = Rde.commandLine();
        cli.setErr(new PrintWriter(err));
        assertThat(cli.execute("audit", "export", "--from", "yesterday", "--out", "f")).isEqualTo(2);
        assertThat(Instant.parse("2025-03-01T00:00:00Z")).isNotNull();
    }
}
