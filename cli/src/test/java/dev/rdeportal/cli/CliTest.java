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

    @Test
    void accessAsksThePortalAtTheInstantShowsProgressAndSummarises() throws Exception {
        String answer = """
                {"at":"2026-11-01T09:00:00Z","sequence":42,"unreadable":0,
                 "members":[{"email":"alice@example.com","role":"user","trusted":false}],
                 "blueprints":[{"id":"bp-1","name":"java","acl":{"mode":"open","emails":[],"domains":[]}}],
                 "firewall":{"rules":[{"action":"deny","cidr":"203.0.113.0/24","note":null}]},
                 "workspaces":[{"id":"ws-1","name":"demo","owner":"alice@example.com","blueprintId":"bp-1",
                   "status":"RUNNING","access":[{"email":"alice@example.com","via":["terminal","preview"],
                   "reason":"owner of the workspace; firewall: allowed except from 203.0.113.0/24 deny"}],
                   "noAccess":null,"launch":{"allowed":false,"reason":"the blueprint's ACL is restricted"}}],
                 "sessions":[{"id":"c-1","type":"terminal","workspaceId":"ws-1","user":"alice@example.com",
                   "clientIp":"10.0.0.5","openedAt":"2026-11-01T08:59:00Z","firewall":"allowed by the rules"}]}""";
        java.util.List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            asked.add(exchange.getRequestURI().toString() + " " + exchange.getRequestHeaders().getFirst("Authorization"));
            try {
                Thread.sleep(1500); // a replay that takes a while
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            CommandLine cli = Rde.commandLine();
            StringWriter out = new StringWriter();
            cli.setOut(new PrintWriter(out));
            CommandLine.ParseResult parsed = cli.parseArgs("audit", "access", "--at", "2026-11-01T09:00:00Z",
                    "--workspace", "ws-1");
            AuditCommand.Access access = parsed.subcommand().subcommand().commandSpec().commandLine().getCommand();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            PortalClient client = new PortalClient(java.net.URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
                    "eyJ.token");

            assertThat(access.run(client, new PrintStream(err, true, StandardCharsets.UTF_8))).isZero();

            assertThat(asked).containsExactly(
                    "/api/v1/audit/access?at=2026-11-01T09%3A00%3A00Z&workspace=ws-1 Bearer eyJ.token");
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("\rreplaying the history … 0 s")
                    .contains("\rreplaying the history … 1 s");
            assertThat(out.toString())
                    .contains("history up to sequence 42, 1 members, 1 workspaces, 1 open sessions")
                    .contains("firewall: deny 203.0.113.0/24")
                    .contains("workspace ws-1 (demo) owner alice@example.com, RUNNING")
                    .contains("alice@example.com via terminal, preview: owner of the workspace")
                    .contains("launch again from the blueprint: no (the blueprint's ACL is restricted)")
                    .contains("terminal\tws-1\talice@example.com\t10.0.0.5\tsince 2026-11-01T08:59:00Z");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void accessNeedsAnInstant() {
        StringWriter err = new StringWriter();
        CommandLine cli = Rde.commandLine();
        cli.setErr(new PrintWriter(err));

        assertThat(cli.execute("audit", "access")).isEqualTo(2);
        assertThat(cli.execute("audit", "access", "--at", "noon")).isEqualTo(2);
        assertThat(err.toString()).contains("--at");
    }
}
