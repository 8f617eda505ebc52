package dev.rdeportal.portal.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * The keep-alive stall of reactor/reactor-netty#4361, reproduced on a bare Reactor Netty server:
 * two requests in one write, the first answered late (as a database answer would be), the second
 * at once; then a third request on the same connection. Without the guard the third is never read.
 */
class KeepAliveReadGuardTest {

    @Test
    void aThirdRequestOnTheConnectionIsAnsweredWithTheGuard() throws IOException {
        assertThat(thirdRequestAnswered(true)).isTrue();
    }

    /** Shows the test exercises the upstream bug: if this starts failing, the upgrade fixed it and the guard can go. */
    @Test
    void withoutTheGuardTheConnectionStalls() throws IOException {
        assertThat(thirdRequestAnswered(false)).isFalse();
    }

    private static boolean thirdRequestAnswered(boolean guarded) throws IOException {
        HttpServer server = HttpServer.create().host("127.0.0.1").port(0)
                .handle((request, response) -> response.sendString(request.uri().equals("/first")
                        ? Mono.delay(Duration.ofMillis(50)).thenReturn("ok")
                        : Mono.just("ok")));
        if (guarded) {
            server = server.doOnChannelInit((observer, channel, remote) -> KeepAliveReadGuard.install(channel));
        }
        DisposableServer running = server.bindNow(Duration.ofSeconds(5));
        try (Socket socket = new Socket("127.0.0.1", running.port())) {
            socket.setSoTimeout(2000);
            socket.getOutputStream().write((get("/first") + get("/second")).getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            readResponse(in);
            readResponse(in);
            socket.getOutputStream().write(get("/third").getBytes(StandardCharsets.US_ASCII));
            try {
                readResponse(in);
                return true;
            } catch (SocketTimeoutException stalled) {
                return false;
            }
        } finally {
            running.disposeNow();
        }
    }

    private static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n";
    }

    /** Reads one response with a Content-Length body ("ok"). */
    private static void readResponse(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("connection closed");
            }
            head.append((char) c);
        }
        int length = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.regionMatches(true, 0, "content-length:", 0, 15)) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        assertThat(in.readNBytes(length)).hasSize(length);
    }
}
