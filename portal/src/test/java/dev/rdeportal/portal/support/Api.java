package dev.rdeportal.portal.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;

/** A small JSON client for the public API, as any outside tool would use it. */
public final class Api {

    private static final ObjectMapper JSON = new ObjectMapper();

    // HTTP/1.1: the portal speaks it on plain http; the JDK client's default would first try an
    // h2c upgrade on every new connection.
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;

    public Api(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    public record Response(int status, JsonNode body, HttpResponse<String> raw) {

        public String code() {
            return body == null || body.get("code") == null ? null : body.get("code").asText();
        }

        public String contentType() {
            return raw.headers().firstValue("Content-Type").orElse("");
        }
    }

    public Response get(String path, String token) {
        return send(builder(path, token).GET());
    }

    public Response post(String path, String json, String token) {
        return send(builder(path, token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json == null ? "" : json)));
    }

    public Response put(String path, String json, String token) {
        return send(builder(path, token).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    public Response delete(String path, String token) {
        return send(builder(path, token).DELETE());
    }

    public Response send(HttpRequest.Builder request) {
        HttpRequest built = request.timeout(Duration.ofSeconds(30)).build();
        try {
            HttpResponse<String> r;
            try {
                r = http.send(built, HttpResponse.BodyHandlers.ofString());
            } catch (java.net.http.HttpTimeoutException timeout) {
                // No answer in 30 s is a bug (the last one was Reactor Netty's keep-alive stall,
                // see KeepAliveReadGuard): say where every thread of this JVM stands, then fail.
                System.err.println("request timed out: " + built.method() + " " + built.uri().getPath()
                        + "; thread dump follows");
                for (ThreadInfo thread : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
                    System.err.print(thread);
                }
                throw timeout;
            }
            JsonNode body = null;
            if (!r.body().isBlank() && r.headers().firstValue("Content-Type").orElse("").contains("json")) {
                body = JSON.readTree(r.body());
            }
            return new Response(r.statusCode(), body, r);
        } catch (Exception e) {
            throw new IllegalStateException("request failed: " + e.getMessage(), e);
        }
    }

    public HttpRequest.Builder builder(String path, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    /** Polls a workspace until its status matches, or fails with the last status seen. */
    public JsonNode awaitWorkspace(String id, String token, Predicate<String> status, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        Response last = null;
        while (Instant.now().isBefore(deadline)) {
            last = get("/api/v1/workspaces/" + id, token);
            if (last.status() == 200 && status.test(last.body().get("status").asText())) {
                return last.body();
            }
            sleep(100);
        }
        throw new AssertionError("workspace " + id + " did not reach the expected status in " + timeout
                + "; last answer " + (last == null ? "none" : last.status() + " " + last.body()));
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
