package dev.rdeportal.cli;

import java.net.URI;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code rde}: the portal's command-line client. Talks to the public API only.
 *
 * <pre>
 *   rde login [--username U --password P]           sign in (authorization code + PKCE)
 *   rde audit export --format jsonl|csv [--from T] [--to T] --out FILE
 *   rde audit verify
 *   rde audit access --at T [--workspace W] [--json]
 * </pre>
 *
 * Exit status: 0 success; 1 the audit chain is not intact; 2 usage; 3 any other failure.
 */
@Command(name = "rde", mixinStandardHelpOptions = true, version = "rde 0.1.0",
        description = "Command-line client of the RDE portal.",
        subcommands = {LoginCommand.class, AuditCommand.class})
public final class Rde {

    static final int NOT_INTACT = 1;
    static final int FAILURE = 3;

    @Option(names = "--portal", scope = CommandLine.ScopeType.INHERIT,
            description = "portal URL (default: $RDE_PORTAL_URL or http://localhost:8080)")
    String portal;

    URI portalUrl() {
        String url = portal;
        if (url == null || url.isBlank()) {
            url = System.getenv("RDE_PORTAL_URL");
        }
        if (url == null || url.isBlank()) {
            url = "http://localhost:8080";
        }
        return URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String... args) {
        return commandLine().execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Rde());
        cli.setExecutionExceptionHandler((e, commandLine, parsed) -> {
            // One line, never a stack trace or a token.
            commandLine.getErr().println("rde: " + e.getMessage());
            return FAILURE;
        });
        return cli;
    }
}
