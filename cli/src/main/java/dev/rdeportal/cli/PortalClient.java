package dev.rdeportal.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The portal's public API over HTTP, with the bearer token. */
final class PortalClient {

    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final URI portal;
    private final String token;

    PortalClient(URI portal, String token) {
        this.portal = portal;
        this.token = token;
    }

    JsonNode getJson(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(request(path).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(problem(path, r.statusCode(), r.body()));
        }
        return JSON.readTree(r.body());
    }

    /** The response body as a stream, for downloads of any size. */
    InputStream stream(String path) throws IOException, InterruptedException {
        HttpResponse<InputStream> r = http.send(request(path).build(), HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() != 200) {
            String body;
            try (InputStream in = r.body()) {
                body = new String(in.readNBytes(4096), java.nio.charset.StandardCharsets.UTF_8);
            }
            throw new IllegalStateException(problem(path, r.statusCode(), body));
        }
        return r.body();
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(portal.resolve(path)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    /** The portal's problem detail, or the status; a 401 says how to recover. */
    static String problem(String path, int status, String body) {
        if (status == 401) {
            return "not signed in or the token expired: run rde login";
        }
        String detail = null;
        try {
            JsonNode problem = JSON.readTree(body);
            detail = problem.hasNonNull("detail") ? problem.get("detail").asText() : null;
        } catch (IOException | RuntimeException notJson) {
            // fall back to the status alone
        }
        return path + " answered " + status + (detail == null ? "" : ": " + detail);
    }
}
