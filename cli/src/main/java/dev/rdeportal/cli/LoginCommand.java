package dev.rdeportal.cli;

import com.sun.net.httpserver.HttpServer;
import java.awt.Desktop;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code rde login}: signs in with the browser (the authorize URL is printed, and opened when a
 * desktop browser exists; the code comes back to a one-shot listener on 127.0.0.1), or headless
 * with {@code --username}/{@code --password} against the embedded provider's login form.
 */
@Command(name = "login", description = "Sign in to the portal and keep the access token.")
final class LoginCommand implements Callable<Integer> {

    static final long TIMEOUT_SECONDS = 300;

    @ParentCommand
    Rde rde;

    @Spec
    CommandSpec spec;

    @Option(names = "--username", description = "sign in without a browser (embedded identity provider)")
    String username;

    @Option(names = "--password", description = "with --username; or $RDE_PASSWORD", interactive = false)
    String password;

    @Option(names = "--print-token", description = "also print the access token on stdout (for scripts)")
    boolean printToken;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        Oidc oidc = new Oidc();
        Oidc.Endpoints endpoints = oidc.discover(rde.portalUrl());
        Pkce pkce = Pkce.create();
        String state = Pkce.random(16);
        String token;
        if (username != null) {
            String secret = password != null ? password : System.getenv("RDE_PASSWORD");
            if (secret == null) {
                throw new IllegalArgumentException("--username needs --password or $RDE_PASSWORD");
            }
            // Never contacted: the code is read from the redirect itself. Any port is allowed (RFC 8252).
            String redirect = "http://127.0.0.1:" + (49152 + (int) (Math.random() * 16000)) + "/callback";
            String code = oidc.codeWithPassword(endpoints, Oidc.authorizeUrl(endpoints, redirect, state, pkce), redirect,
                    state, username, secret);
            token = oidc.exchange(endpoints, code, redirect, pkce);
        } else {
            token = browserLogin(oidc, endpoints, pkce, state, err);
        }
        TokenStore store = TokenStore.standard();
        store.save(token);
        err.println("signed in; token kept in " + store.file());
        if (printToken) {
            spec.commandLine().getOut().println(token);
        }
        return 0;
    }

    private String browserLogin(Oidc oidc, Oidc.Endpoints endpoints, Pkce pkce, String state, PrintWriter err)
            throws Exception {
        CompletableFuture<String> callback = new CompletableFuture<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
        server.createContext("/callback", exchange -> {
            String query = exchange.getRequestURI().getRawQuery();
            byte[] page = "Signed in to the RDE portal. You may close this window.".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
            callback.complete(query == null ? "" : query);
        });
        server.start();
        try {
            String redirect = "http://127.0.0.1:" + server.getAddress().getPort() + "/callback";
            URI authorize = Oidc.authorizeUrl(endpoints, redirect, state, pkce);
            err.println("Open this URL to sign in:");
            err.println("  " + authorize);
            openBrowser(authorize);
            String code = Oidc.codeFrom(callback.get(TIMEOUT_SECONDS, TimeUnit.SECONDS), state);
            return oidc.exchange(endpoints, code, redirect, pkce);
        } finally {
            server.stop(0);
        }
    }

    private static void openBrowser(URI uri) {
        try {
            if (!java.awt.GraphicsEnvironment.isHeadless() && Desktop.isDesktopSupported()
                    && Desktop.getDesktop().isSupported(Desktop.Action.BROWSE)) {
                Desktop.getDesktop().browse(uri);
            }
        } catch (Exception | LinkageError noBrowser) {
            // the URL is printed; the user opens it
        }
    }
}
