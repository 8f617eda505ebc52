package dev.rdeportal.gateway.preview;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationPredicate;
import io.micrometer.observation.ObservationRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.http.server.reactive.MockServerHttpResponse;

class PreviewObservationTest {

    private final ObservationPredicate predicate = new PreviewConfiguration().previewRequestsUnobserved(
            new PreviewProperties("preview.localhost", null, 0, null, null, null, null));

    private static ServerRequestObservationContext request(String host) {
        MockServerHttpRequest request = MockServerHttpRequest.get("/small").header("Host", host).build();
        return new ServerRequestObservationContext(request, new MockServerHttpResponse(), Map.of());
    }

    @Test
    void previewRequestsAreNotObservedThePortalsOwnAre() {
        assertThat(predicate.test("http.server.requests", request("p8000--ws-1.preview.localhost:8080"))).isFalse();
        assertThat(predicate.test("http.server.requests", request("P8000--WS-1.Preview.Localhost"))).isFalse();
        assertThat(predicate.test("http.server.requests", request("localhost:8080"))).isTrue();
        assertThat(predicate.test("http.server.requests", request("preview.localhost.evil.example"))).isTrue();
        assertThat(predicate.test("anything.else", new Observation.Context())).isTrue();
    }

    @Test
    void theRegistryGivesAPreviewRequestTheNoopObservation() {
        ObservationRegistry registry = ObservationRegistry.create();
        registry.observationConfig().observationHandler(context -> true).observationPredicate(predicate);
        assertThat(Observation.createNotStarted("http.server.requests", () -> request("p3000--w.preview.localhost"),
                registry).isNoop()).isTrue();
        assertThat(Observation.createNotStarted("http.server.requests", () -> request("localhost"), registry)
                .isNoop()).isFalse();
    }
}
