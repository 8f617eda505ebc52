package dev.rdeportal.query.security;

import static dev.rdeportal.query.support.TestCallers.ADMIN_HEADER;
import static dev.rdeportal.query.support.TestCallers.USER_HEADER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.axonframework.eventhandling.ReplayStatus.REGULAR;

import dev.rdeportal.domain.connection.PreviewSessionClosedEvent;
import dev.rdeportal.domain.connection.PreviewSessionOpenedEvent;
import dev.rdeportal.query.support.ReadModelDatabase;
import dev.rdeportal.query.support.TestCallers;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.axonframework.queryhandling.DefaultQueryGateway;
import org.axonframework.queryhandling.SimpleQueryBus;
import org.axonframework.queryhandling.SimpleQueryUpdateEmitter;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The Security Center's connection log: filters and keyset paging over the read model. */
@SuppressWarnings("unchecked")
class ConnectionLogTest {

    private static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");

    private final ReadModelDatabase db = ReadModelDatabase.create();
    private final ConnectionProjection projection = new ConnectionProjection(db.jdbc(),
            SimpleQueryUpdateEmitter.builder().build());
    private final WebTestClient client = WebTestClient.bindToController(new ConnectionController(db.r2dbc(),
            DefaultQueryGateway.builder().queryBus(SimpleQueryBus.builder().build()).build()))
            .controllerAdvice(new TestCallers.DomainErrors())
            .webFilter(TestCallers.principalFromHeaders())
            .build();

    /** Seven previews: alice's on ws-a (ports 8000-8004, one a minute), bob's on ws-b (two); the even ones closed. */
    private void history() {
        for (int i = 0; i < 7; i++) {
            String user = i < 5 ? "alice@example.com" : "bob@example.com";
            String ws = i < 5 ? "ws-a" : "ws-b";
            Instant opened = T0.plusSeconds(60L * i);
            projection.on(new PreviewSessionOpenedEvent("s" + i, ws, 8000 + i, user, "192.0.2." + i, opened,
                    opened.plusSeconds(3600)), REGULAR);
            if (i % 2 == 0) {
                projection.on(new PreviewSessionClosedEvent("s" + i, ws, 8000 + i, user, "192.0.2." + i, opened,
                        opened.plusSeconds(600 - 60L * i), i, 10L * i, 100L * i, "idle"), REGULAR);
            }
        }
    }

    private Map<String, Object> page(String query) {
        return client.get().uri("/api/v1/security/sessions" + query)
                .header(USER_HEADER, "admin@example.com").header(ADMIN_HEADER, "true")
                .exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
    }

    private static List<String> ids(Map<String, Object> page) {
        return ((List<Map<String, Object>>) page.get("items")).stream().map(m -> (String) m.get("id")).toList();
    }

    @Test
    void theClosedHistoryPagesMostRecentlyClosedFirstWithoutGapsOrRepeats() {
        history();
        List<String> seen = new ArrayList<>();
        Map<String, Object> page = page("?state=closed&limit=2");
        seen.addAll(ids(page));
        while (page.get("next") != null) {
            page = page("?state=closed&limit=2&cursor=" + page.get("next"));
            seen.addAll(ids(page));
        }
        // All four closed at the same instant (T0 + 600 s): the pages split a tie, which the id orders.
        assertThat(seen).containsExactly("s0", "s2", "s4", "s6");
        assertThat(ids(page("?state=active"))).containsExactly("s5", "s3", "s1");
    }

    @Test
    void filtersNarrowByUserWorkspaceTypeAndOpeningTime() {
        history();
        assertThat(ids(page("?state=active&user=bob@example.com"))).containsExactly("s5");
        assertThat(ids(page("?state=closed&workspace=ws-b"))).containsExactly("s6");
        assertThat(ids(page("?state=active&type=terminal"))).isEmpty();
        assertThat(ids(page("?state=active&type=preview"))).containsExactly("s5", "s3", "s1");
        assertThat(ids(page("?state=active&from=" + T0.plusSeconds(60) + "&to=" + T0.plusSeconds(240))))
                .containsExactly("s3", "s1");
        Map<String, Object> one = ((List<Map<String, Object>>) page("?state=closed&workspace=ws-b").get("items")).get(0);
        assertThat(one).containsEntry("user", "bob@example.com").containsEntry("type", "preview")
                .containsEntry("closeReason", "idle").containsEntry("detail", "port 8006");
    }

    @Test
    void badParametersAreRefusedInWordsAndUsersAreForbidden() {
        for (String query : List.of("?state=open", "?type=ssh", "?limit=0", "?limit=501", "?from=yesterday",
                "?cursor=not-a-cursor")) {
            client.get().uri("/api/v1/security/sessions" + query)
                    .header(USER_HEADER, "admin@example.com").header(ADMIN_HEADER, "true")
                    .exchange().expectStatus().isBadRequest();
        }
        client.get().uri("/api/v1/security/sessions").header(USER_HEADER, "alice@example.com")
                .exchange().expectStatus().isForbidden();
    }
}
