package dev.rdeportal.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;

/**
 * The workspace app of {@link PreviewBench}, JDK only (no classpath beyond this class), so every
 * path is measured against the same fast app: a Python server would be the bottleneck.
 * Listens on 127.0.0.1:$PORT and writes that port to the file named by its first argument. Run it
 * with {@code -Dsun.net.httpserver.nodelay=true}: the JDK server writes headers and body apart, and
 * without TCP_NODELAY every small answer waits ~40 ms for the client's delayed ACK.
 *
 * <pre>
 * GET /small              a fixed 13-byte text body
 * GET /download?bytes=N   N bytes (Content-Length N), written 64 KiB at a time
 * </pre>
 */
public final class PreviewBenchApp {

    private static final byte[] SMALL = "hello, bench\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BLOCK = new byte[64 * 1024];

    private PreviewBenchApp() {
    }

    public static void main(String[] args) throws IOException {
        for (int i = 0; i < BLOCK.length; i++) {
            BLOCK[i] = (byte) (i % 251);
        }
        int port = Integer.parseInt(System.getenv().getOrDefault("PORT", args.length > 1 ? args[1] : "8000"));
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
        server.setExecutor(Executors.newFixedThreadPool(16));
        server.createContext("/small", PreviewBenchApp::small);
        server.createContext("/download", PreviewBenchApp::download);
        server.start();
        if (args.length > 0) {
            Path file = Path.of(args[0]);
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, Integer.toString(port));
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
    }

    private static void small(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().set("Content-Type", "text/plain");
            exchange.sendResponseHeaders(200, SMALL.length);
            exchange.getResponseBody().write(SMALL);
        }
    }

    private static void download(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            long n = 0;
            String query = exchange.getRequestURI().getRawQuery();
            if (query != null) {
                for (String part : query.split("&")) {
                    if (part.startsWith("bytes=")) {
                        n = Long.parseLong(part.substring(6));
                    }
                }
            }
            exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
            exchange.sendResponseHeaders(200, n == 0 ? -1 : n);
            OutputStream out = exchange.getResponseBody();
            long left = n;
            while (left > 0) {
                int len = (int) Math.min(BLOCK.length, left);
                out.write(BLOCK, 0, len);
                left -= len;
            }
        }
    }
}
