package dev.rdeportal.agent.preview;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The agent's reading of what an app answers: heads, 1xx, how a body ends, chunks; strict on what is malformed. */
class AppConnectionTest {

    private static AppConnection of(String response) {
        return of(response.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static AppConnection of(byte[] response) {
        return new AppConnection("app:1", null, new ByteArrayInputStream(response), new ByteArrayOutputStream());
    }

    private static AppConnection.Framing framing(String method, String response, long[] length) throws IOException {
        return AppConnection.framing(method, of(response).readHead(), length);
    }

    @Test
    void readsAStatusLineAndHeadersInOrderWithTheirNamesAsSent() throws IOException {
        AppConnection c = of("HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nSet-Cookie: a=1\r\n"
                + "set-cookie: b=2\r\nX-Empty:\r\nContent-Length: 3\r\n\r\nabc");
        AppConnection.Head head = c.readHead();
        assertThat(head.status()).isEqualTo(404);
        assertThat(head.http11()).isTrue();
        assertThat(head.headers()).extracting(h -> h[0] + "=" + h[1])
                .containsExactly("Content-Type=text/plain", "Set-Cookie=a=1", "set-cookie=b=2", "X-Empty=", "Content-Length=3");
        assertThat(head.values("SET-COOKIE")).containsExactly("a=1", "b=2");
        byte[] body = new byte[10];
        assertThat(c.read(body, 0, 10)).isEqualTo(3);
        assertThat(new String(body, 0, 3, StandardCharsets.US_ASCII)).isEqualTo("abc");
        assertThat(c.read(body, 0, 10)).isEqualTo(-1);
    }

    @Test
    void acceptsBareLineFeedsAMissingReasonAndHttp10() throws IOException {
        AppConnection.Head head = of("HTTP/1.0 200\nServer: x\n\n").readHead();
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.http11()).isFalse();
        assertThat(head.values("server")).containsExactly("x");
    }

    @Test
    void skipsInterimResponsesButNot101() throws IOException {
        AppConnection c = of("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n"
                + "HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n");
        assertThat(c.readHead().status()).isEqualTo(201);
        assertThat(of("HTTP/1.1 101 Switching Protocols\r\n\r\n").readHead().status()).isEqualTo(101);
    }

    @Test
    void malformedHeadsAreRefused() {
        for (String bad : new String[] {
                "garbage\r\n\r\n",
                "HTTP/2 200 OK\r\n\r\n",
                "HTTP/1.1 2x0 OK\r\n\r\n",
                "HTTP/1.1 099 Low\r\n\r\n",
                "HTTP/1.1 2000 OK\r\n\r\n",
                "HTTP/1.1 200 OK\r\nNo colon here\r\n\r\n",
                "HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n",
                "HTTP/1.1 200 OK\r\n: no name\r\n\r\n",
                "HTTP/1.1 200 OK\r\nA: b\r\n folded\r\n\r\n",
                "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n", // the head breaks off
                "HTTP/1.1 200", // the status line breaks off
        }) {
            assertThatThrownBy(() -> of(bad).readHead()).as(bad).isInstanceOf(AppConnection.Malformed.class);
        }
    }

    @Test
    void aConnectionClosedBeforeAnyByteIsAnEofNotAMalformedAnswer() {
        assertThatThrownBy(() -> of("").readHead()).isInstanceOf(EOFException.class)
                .isNotInstanceOf(AppConnection.Malformed.class);
    }

    @Test
    void aHeadLongerThanTheLimitIsRefusedWithoutReadingOn() {
        StringBuilder huge = new StringBuilder("HTTP/1.1 200 OK\r\n");
        while (huge.length() <= AppConnection.MAX_HEAD_BYTES) {
            huge.append("X-Filler: ").append("y".repeat(1000)).append("\r\n");
        }
        assertThatThrownBy(() -> of(huge + "\r\n").readHead()).isInstanceOf(AppConnection.Malformed.class)
                .hasMessageContaining("longer than");
        StringBuilder many = new StringBuilder("HTTP/1.1 200 OK\r\n");
        for (int i = 0; i <= AppConnection.MAX_HEADERS; i++) {
            many.append("X-").append(i).append(": 1\r\n");
        }
        assertThatThrownBy(() -> of(many + "\r\n").readHead()).isInstanceOf(AppConnection.Malformed.class)
                .hasMessageContaining("headers");
    }

    @Test
    void howABodyEnds() throws IOException {
        long[] length = {-1};
        assertThat(framing("GET", "HTTP/1.1 200 OK\r\nContent-Length: 42\r\n\r\n", length)).isEqualTo(AppConnection.Framing.LENGTH);
        assertThat(length[0]).isEqualTo(42);
        assertThat(framing("GET", "HTTP/1.1 200 OK\r\nContent-Length: 7, 7\r\nContent-Length: 7\r\n\r\n", length))
                .isEqualTo(AppConnection.Framing.LENGTH);
        assertThat(framing("GET", "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", length)).isEqualTo(AppConnection.Framing.NONE);
        assertThat(framing("HEAD", "HTTP/1.1 200 OK\r\nContent-Length: 42\r\n\r\n", length)).isEqualTo(AppConnection.Framing.NONE);
        assertThat(framing("GET", "HTTP/1.1 204 No Content\r\n\r\n", length)).isEqualTo(AppConnection.Framing.NONE);
        assertThat(framing("GET", "HTTP/1.1 304 Not Modified\r\nContent-Length: 42\r\n\r\n", length)).isEqualTo(AppConnection.Framing.NONE);
        assertThat(framing("GET", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 42\r\n\r\n", length))
                .isEqualTo(AppConnection.Framing.CHUNKED);
        assertThat(framing("GET", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, Chunked\r\n\r\n", length))
                .isEqualTo(AppConnection.Framing.CHUNKED);
        assertThat(framing("GET", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n", length)).isEqualTo(AppConnection.Framing.CLOSE);
        assertThat(framing("GET", "HTTP/1.0 200 OK\r\n\r\n", length)).isEqualTo(AppConnection.Framing.CLOSE);
    }

    @Test
    void invalidOrConflictingLengthsAreMalformed() {
        for (String value : new String[] {"-1", "abc", "1 2", "", "+5", "99999999999999999999"}) {
            assertThatThrownBy(() -> framing("GET", "HTTP/1.1 200 OK\r\nContent-Length: " + value + "\r\n\r\n", new long[1]))
                    .as(value).isInstanceOf(AppConnection.Malformed.class);
        }
        assertThatThrownBy(() -> framing("GET", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n", new long[1]))
                .isInstanceOf(AppConnection.Malformed.class);
    }

    @Test
    void readsChunksWithExtensionsAndDropsTrailers() throws IOException {
        AppConnection c = of("5;name=value\r\nhello\r\nA\r\n0123456789\r\n0\r\nX-Trailer: 1\r\n\r\nHTTP/1.1 200 OK\r\n\r\n");
        assertThat(c.readChunkSize()).isEqualTo(5);
        byte[] data = new byte[5];
        assertThat(c.read(data, 0, 5)).isEqualTo(5);
        c.readChunkEnd();
        assertThat(c.readChunkSize()).isEqualTo(10);
        byte[] more = new byte[10];
        assertThat(c.read(more, 0, 10)).isEqualTo(10);
        c.readChunkEnd();
        assertThat(c.readChunkSize()).isZero();
        // what follows the last chunk and its trailers is the next response
        assertThat(c.readHead().status()).isEqualTo(200);
    }

    @Test
    void malformedChunksAreRefused() {
        for (String bad : new String[] {"xyz\r\n", "\r\n", "-1\r\n", "1234567890abcdef0\r\n", "5\r\nhel"}) {
            assertThatThrownBy(() -> {
                AppConnection c = of(bad);
                long size = c.readChunkSize();
                byte[] data = new byte[(int) size];
                int n = c.read(data, 0, data.length);
                if (n < size) {
                    throw new AppConnection.Malformed("short");
                }
            }).as(bad).isInstanceOf(IOException.class);
        }
        assertThatThrownBy(() -> {
            AppConnection c = of("3\r\nabcdef\r\n");
            c.readChunkSize();
            c.read(new byte[3], 0, 3);
            c.readChunkEnd();
        }).isInstanceOf(AppConnection.Malformed.class);
    }

    @Test
    void tokens() {
        assertThat(AppConnection.isToken("GET", 0, 3)).isTrue();
        assertThat(AppConnection.isToken("X-My_Header.1", 0, 13)).isTrue();
        assertThat(AppConnection.isToken("GE T", 0, 4)).isFalse();
        assertThat(AppConnection.isToken("a\r\nb", 0, 4)).isFalse();
        assertThat(AppConnection.isToken("", 0, 0)).isFalse();
    }
}
