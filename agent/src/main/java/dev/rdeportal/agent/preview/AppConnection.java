package dev.rdeportal.agent.preview;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One HTTP/1.1 connection to an app, read and written by one thread at a time (the preview
 * stream's), kept open between requests when the app allows it ({@link AppPool}). Reads what the
 * app says strictly: a response head that is not HTTP/1.x, is over {@link #MAX_HEAD_BYTES}, or
 * frames its body in a way that cannot be trusted is a {@link Malformed} answer, which the stream
 * turns into a 502 rather than guessing (or waiting).
 */
final class AppConnection implements AutoCloseable {

    /** Largest response head (status line and headers) read from an app. */
    static final int MAX_HEAD_BYTES = 64 * 1024;
    static final int MAX_HEADERS = 256;
    private static final int BUFFER_BYTES = 16 * 1024;

    /** The app's answer cannot be read as HTTP/1.1. */
    static final class Malformed extends IOException {
        Malformed(String message) {
            super(message);
        }
    }

    /** How a response body ends. */
    enum Framing { NONE, LENGTH, CHUNKED, CLOSE }

    /** A response head as the app sent it; {@code headers} in order, names as sent. */
    record Head(int status, boolean http11, List<String[]> headers) {

        /** The values of header {@code name} (any case), in order. */
        List<String> values(String name) {
            List<String> values = new ArrayList<>(1);
            for (String[] header : headers) {
                if (header[0].equalsIgnoreCase(name)) {
                    values.add(header[1]);
                }
            }
            return values;
        }

        /** Whether a comma-separated header {@code name} holds {@code token} (any case). */
        boolean hasToken(String name, String token) {
            for (String value : values(name)) {
                for (String part : value.split(",")) {
                    if (part.strip().equalsIgnoreCase(token)) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    final String key;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final byte[] buffer = new byte[BUFFER_BYTES];
    private int position;
    private int limit;
    /** Whether anything of the current response was read yet (a reused connection that closed before is retried). */
    private boolean answered;
    private long idleSince;
    private boolean reused;

    AppConnection(String key, Socket socket, InputStream in, OutputStream out) {
        this.key = key;
        this.socket = socket;
        this.in = in;
        this.out = out;
    }

    /** Connects to {@code app} (resolving its host now), within {@code timeoutMillis}. */
    static AppConnection open(InetSocketAddress app, int timeoutMillis) throws IOException {
        InetSocketAddress address = app.isUnresolved() ? new InetSocketAddress(app.getHostString(), app.getPort()) : app;
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(address, timeoutMillis);
            return new AppConnection(key(app), socket, socket.getInputStream(), socket.getOutputStream());
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    static String key(InetSocketAddress app) {
        return app.getHostString() + ":" + app.getPort();
    }

    // ---- pool bookkeeping --------------------------------------------------------------------------

    void idle(long now) {
        idleSince = now;
        reused = true;
    }

    long idleSince() {
        return idleSince;
    }

    /** Whether this connection served a request before this one (so the app may have closed it meanwhile). */
    boolean reused() {
        return reused;
    }

    /** Whether any byte of the current response arrived. */
    boolean answered() {
        return answered;
    }

    /** Whether the app sent anything while the connection lay idle (it should not: it cannot be reused then). */
    boolean hasUnreadBytes() {
        try {
            return position < limit || in.available() > 0;
        } catch (IOException e) {
            return true;
        }
    }

    // ---- writing -----------------------------------------------------------------------------------

    void write(byte[] bytes, int offset, int length) throws IOException {
        out.write(bytes, offset, length);
    }

    void write(byte[] bytes) throws IOException {
        out.write(bytes, 0, bytes.length);
    }

    void flush() throws IOException {
        out.flush();
    }

    // ---- reading -----------------------------------------------------------------------------------

    /** Bytes that can be read now without blocking (at least those already buffered). */
    int available() {
        int buffered = limit - position;
        if (buffered > 0) {
            return buffered;
        }
        try {
            return in.available();
        } catch (IOException e) {
            return 0;
        }
    }

    /** Reads up to {@code length} bytes, blocking until at least one arrives; -1 at the end of the stream. */
    int read(byte[] into, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        int buffered = limit - position;
        if (buffered > 0) {
            int n = Math.min(buffered, length);
            System.arraycopy(buffer, position, into, offset, n);
            position += n;
            return n;
        }
        if (length >= buffer.length) {
            int n = in.read(into, offset, length); // large reads go straight into the caller's array
            if (n > 0) {
                answered = true;
            }
            return n;
        }
        if (fill() < 0) {
            return -1;
        }
        return read(into, offset, length);
    }

    private int fill() throws IOException {
        position = 0;
        limit = 0;
        int n = in.read(buffer, 0, buffer.length);
        if (n > 0) {
            limit = n;
            answered = true;
        }
        return n;
    }

    private int readByte() throws IOException {
        if (position == limit && fill() < 0) {
            return -1;
        }
        return buffer[position++] & 0xff;
    }

    /**
     * One line, ending in LF (a CR before it is dropped), as ISO-8859-1; counts against
     * {@code budget[0]}. EOF before the first byte of a head is an {@link EOFException}.
     */
    String readLine(int[] budget, String what) throws IOException {
        StringBuilder line = new StringBuilder(64);
        while (true) {
            int b = readByte();
            if (b < 0) {
                if (line.isEmpty() && !answered) {
                    throw new EOFException("the app closed the connection without answering");
                }
                throw new Malformed("the app's " + what + " broke off");
            }
            if (--budget[0] < 0) {
                throw new Malformed("the app's " + what + " is longer than " + MAX_HEAD_BYTES + " bytes");
            }
            if (b == '\n') {
                int end = line.length();
                if (end > 0 && line.charAt(end - 1) == '\r') {
                    line.setLength(end - 1);
                }
                return line.toString();
            }
            line.append((char) b);
        }
    }

    /** Reads a response head, skipping interim (1xx) responses other than 101. */
    Head readHead() throws IOException {
        answered = false;
        while (true) {
            Head head = readOneHead();
            if (head.status() >= 100 && head.status() < 200 && head.status() != 101) {
                continue; // 100 Continue, 103 Early Hints: the final answer follows
            }
            return head;
        }
    }

    private Head readOneHead() throws IOException {
        int[] budget = {MAX_HEAD_BYTES};
        String statusLine = readLine(budget, "response head");
        // "HTTP/1.1 200 OK" (the reason may be empty or missing)
        if (statusLine.length() < 12 || !statusLine.startsWith("HTTP/1.") || statusLine.charAt(8) != ' '
                || (statusLine.length() > 12 && statusLine.charAt(12) != ' ')) {
            throw new Malformed("the app's answer is not HTTP/1.x: " + printable(statusLine));
        }
        char minor = statusLine.charAt(7);
        if (minor != '0' && minor != '1') {
            throw new Malformed("the app's answer is not HTTP/1.x: " + printable(statusLine));
        }
        int status = 0;
        for (int i = 9; i < 12; i++) {
            char c = statusLine.charAt(i);
            if (c < '0' || c > '9') {
                throw new Malformed("the app's status code is not a number: " + printable(statusLine));
            }
            status = status * 10 + (c - '0');
        }
        if (status < 100) {
            throw new Malformed("the app's status code is out of range: " + status);
        }
        List<String[]> headers = new ArrayList<>(12);
        while (true) {
            String line = readLine(budget, "response head");
            if (line.isEmpty()) {
                return new Head(status, minor == '1', headers);
            }
            char first = line.charAt(0);
            if (first == ' ' || first == '\t') {
                throw new Malformed("the app folded a header line (obsolete line folding)");
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || !isToken(line, 0, colon)) {
                throw new Malformed("the app sent a malformed header line: " + printable(line));
            }
            if (headers.size() >= MAX_HEADERS) {
                throw new Malformed("the app sent more than " + MAX_HEADERS + " headers");
            }
            headers.add(new String[] {line.substring(0, colon), line.substring(colon + 1).strip()});
        }
    }

    /**
     * How the body of {@code head}, the answer to a {@code method} request, ends (RFC 9112 §6.3),
     * and its length for {@link Framing#LENGTH}: {@code result[0]}.
     */
    static Framing framing(String method, Head head, long[] length) throws Malformed {
        int status = head.status();
        if (method.equals("HEAD") || status < 200 || status == 204 || status == 304) {
            return Framing.NONE;
        }
        List<String> codings = head.values("transfer-encoding");
        if (!codings.isEmpty()) {
            String all = String.join(",", codings).strip().toLowerCase(Locale.ROOT);
            String last = all.substring(all.lastIndexOf(',') + 1).strip();
            // chunked last: the body is chunked (what comes before it goes through as it is);
            // otherwise it runs to the end of the connection.
            return last.equals("chunked") ? Framing.CHUNKED : Framing.CLOSE;
        }
        List<String> lengths = head.values("content-length");
        if (lengths.isEmpty()) {
            return Framing.CLOSE;
        }
        long value = -1;
        for (String header : lengths) {
            for (String part : header.split(",")) {
                long parsed = parseLength(part.strip());
                if (parsed < 0 || (value >= 0 && parsed != value)) {
                    throw new Malformed("the app sent an invalid Content-Length: " + printable(header));
                }
                value = parsed;
            }
        }
        length[0] = value;
        return value == 0 ? Framing.NONE : Framing.LENGTH;
    }

    private static long parseLength(String s) {
        if (s.isEmpty() || s.length() > 18) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /**
     * The size of the next chunk of a chunked body (its extensions ignored); 0 for the last one,
     * whose trailers are read and dropped here.
     */
    long readChunkSize() throws IOException {
        int[] budget = {MAX_HEAD_BYTES};
        String line = readLine(budget, "chunked body");
        int end = line.indexOf(';');
        String hex = (end < 0 ? line : line.substring(0, end)).strip();
        if (hex.isEmpty() || hex.length() > 15) {
            throw new Malformed("the app sent an invalid chunk size: " + printable(line));
        }
        long size = 0;
        for (int i = 0; i < hex.length(); i++) {
            int digit = Character.digit(hex.charAt(i), 16);
            if (digit < 0) {
                throw new Malformed("the app sent an invalid chunk size: " + printable(line));
            }
            size = size * 16 + digit;
        }
        if (size == 0) {
            while (!readLine(budget, "chunked body's trailers").isEmpty()) {
                // trailers are not relayed
            }
        }
        return size;
    }

    /** The CRLF after a chunk's data. */
    void readChunkEnd() throws IOException {
        int[] budget = {2};
        if (!readLine(budget, "chunked body").isEmpty()) {
            throw new Malformed("the app's chunk is longer than its size says");
        }
    }

    static boolean isToken(String s, int from, int to) {
        if (from >= to) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static String printable(String s) {
        String cut = s.length() > 80 ? s.substring(0, 80) + "…" : s;
        StringBuilder out = new StringBuilder(cut.length());
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
            out.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return out.toString();
    }

    static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() {
        try {
            if (socket != null) {
                socket.close();
            } else {
                in.close();
                out.close();
            }
        } catch (IOException e) {
            // closing anyway
        }
    }
}
