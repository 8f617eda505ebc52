package dev.rdeportal.portal.support;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * A browser's view of preview origins: requests go to the portal's socket with the preview host
 * in {@code Host} (the JVM does not resolve {@code *.localhost}, browsers do), and cookies are
 * sent only as the test says.
 */
public final class PreviewClient {

    public record Response(int status, HttpHeaders headers, String body) {
    }

    private final HttpClient http;

    public PreviewClient(int portalPort) {
        http = HttpClient.create(ConnectionProvider.newConnection())
                .remoteAddress(() -> new InetSocketAddress("127.0.0.1", portalPort))
                .responseTimeout(Duration.ofMinutes(2));
    }

    public HttpClient raw(String host, Map<String, String> headers) {
        return http.headers(h -> {
            h.set(HttpHeaderNames.HOST, host);
            headers.forEach(h::set);
        });
    }

    public Response get(String host, String pathAndQuery, Map<String, String> headers) {
        return send(HttpMethod.GET, host, pathAndQuery, headers, Mono.empty());
    }

    public Response send(HttpMethod method, String host, String pathAndQuery, Map<String, String> headers,
                  Publisher<? extends ByteBuf> body) {
        return raw(host, headers).request(method).uri(pathAndQuery).send(body)
                .responseSingle((response, content) -> content.asString(StandardCharsets.UTF_8).defaultIfEmpty("")
                        .map(text -> new Response(response.status().code(), response.responseHeaders(), text)))
                .block(Duration.ofMinutes(5));
    }

    /** Streams a response body to {@code consumer} chunk by chunk; answers the status. */
    public int stream(String host, String pathAndQuery, Map<String, String> headers, java.util.function.Consumer<ByteBuf> consumer) {
        return raw(host, headers).get().uri(pathAndQuery)
                .response((response, content) -> content.doOnNext(consumer::accept).then(Mono.just(response.status().code())))
                .single()
                .block(Duration.ofMinutes(5));
    }

    /** "host:port" and "/path?query" of a URL. */
    public static String[] hostAndTarget(String url) {
        URI uri = URI.create(url);
        return new String[] {uri.getHost() + ":" + uri.getPort(),
                uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())};
    }

    public static Flux<ByteBuf> none() {
        return Flux.empty();
    }
}
