package dev.rdeportal.query.audit;

import static dev.rdeportal.query.audit.AccessHistory.ALICE;
import static dev.rdeportal.query.audit.AccessHistory.SCRIPT;
import static dev.rdeportal.query.audit.AccessHistory.at;
import static dev.rdeportal.query.support.TestCallers.ADMIN_HEADER;
import static dev.rdeportal.query.support.TestCallers.USER_HEADER;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.rdeportal.domain.connection.TerminalSessionClosedEvent;
import dev.rdeportal.domain.member.MemberJoinedEvent;
import dev.rdeportal.query.support.ReadModelDatabase;
import dev.rdeportal.query.support.TestCallers;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.axonframework.common.DateTimeUtils;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.serialization.upcasting.event.EventUpcaster;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.axonframework.serialization.upcasting.event.SingleEventUpcaster;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The replay over a real event table on H2, written as Axon's serializer writes it, and the
 * endpoint around it: time filtering by recorded time rather than by index, a revision-1 event
 * read into its revision-2 class, an upcaster applied, rows that cannot be read (or name nobody)
 * counted rather than failing the answer.
 */
class AccessReplayTest {

    static final ObjectMapper AXON_JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY);
    static final String LEGACY_INVITE = "dev.rdeportal.legacy.MemberInvitedEvent";

    private final JdbcTemplate jdbc = ReadModelDatabase.create().jdbc();
    private final JacksonSerializer serializer = JacksonSerializer.builder().objectMapper(AXON_JSON).build();
    private WebTestClient client;

    /** An old event type, renamed and completed into a {@link MemberJoinedEvent}. */
    static final class LegacyInviteUpcaster extends SingleEventUpcaster {

        @Override
        protected boolean canUpcast(IntermediateEventRepresentation event) {
            return event.getType().getName().equals(LEGACY_INVITE);
        }

        @Override
        protected IntermediateEventRepresentation doUpcast(IntermediateEventRepresentation event) {
            return event.upcastPayload(new SimpleSerializedType(MemberJoinedEvent.class.getName(), "1"),
                    JsonNode.class, node -> ((ObjectNode) node).put("organizationId", "organization")
                            .put("role", "USER").put("trusted", false).put("via", "invitation"));
        }
    }

    @BeforeEach
    void setUp() {
        EventStoreRows.createTable(jdbc);
        AccessReplay replay = new AccessReplay(jdbc, serializer, new LegacyInviteUpcaster());
        Clock clock = Clock.fixed(at(30), ZoneOffset.UTC);
        client = WebTestClient.bindToController(new AccessController(replay, clock))
                .controllerAdvice(new TestCallers.DomainErrors())
                .webFilter(TestCallers.principalFromHeaders())
                .configureClient()
                .responseTimeout(Duration.ofSeconds(20))
                .build();
        List<AccessHistory.Step> steps = new ArrayList<>(SCRIPT);
        // Minute 10's firewall change committed first, minute 9's trust grant later: indexes and
        // times disagree, as they do for a transaction that commits late.
        steps.set(7, SCRIPT.get(8));
        steps.set(8, SCRIPT.get(7));
        for (AccessHistory.Step step : steps) {
            if (step.event() instanceof TerminalSessionClosedEvent closed) {
                // Written before bytesIn/bytesOut existed: revision 1, without them.
                ObjectNode old = AXON_JSON.valueToTree(closed);
                old.remove(List.of("bytesIn", "bytesOut"));
                insert(TerminalSessionClosedEvent.class.getName(), "1", old.toString(), null, step.at());
            } else {
                SerializedObject<byte[]> s = serializer.serialize(step.event(), byte[].class);
                insert(s.getType().getName(), s.getType().getRevision(),
                        new String(s.getData(), StandardCharsets.UTF_8), "Aggregate", step.at());
            }
        }
        insert(LEGACY_INVITE, null, "{\"email\":\"carol@example.com\"}", "Organization", at(3));
        insert("dev.rdeportal.domain.member.MemberChangedEvent", "1", "{not json", "Organization", at(4));
        insert(MemberJoinedEvent.class.getName(), "1", "{\"role\":\"ADMIN\"}", "Organization", at(4));
    }

    private void insert(String payloadType, String revision, String payload, String aggregateType, Instant at) {
        jdbc.update("INSERT INTO domain_event_entry (event_identifier, meta_data, payload, payload_revision, "
                        + "payload_type, time_stamp, aggregate_identifier, sequence_number, type) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?)",
                UUID.randomUUID().toString(), "{}".getBytes(StandardCharsets.UTF_8),
                payload.getBytes(StandardCharsets.UTF_8), revision, payloadType, DateTimeUtils.formatInstant(at),
                UUID.randomUUID().toString(), aggregateType);
    }

    private WebTestClient.ResponseSpec get(String query, boolean admin) {
        return client.get().uri("/api/v1/audit/access" + query)
                .header(USER_HEADER, admin ? "admin@example.com" : ALICE)
                .header(ADMIN_HEADER, Boolean.toString(admin))
                .exchange();
    }

    @Test
    void withoutUpcastersRowsAreReadStraightAndAnswerAlike() {
        // The portal has no upcasters: it reads rows without Axon's upcasting stream and without the
        // payloads of types the fold ignores. The answers must be those of the general path.
        AccessReplay straight = new AccessReplay(jdbc, serializer, List.<EventUpcaster>of());
        AccessReplay upcasting = new AccessReplay(jdbc, serializer, (EventUpcaster) events -> events);
        for (int minute = 0; minute <= 30; minute++) {
            assertThat(straight.at(at(minute), null)).as("minute %d", minute).isEqualTo(upcasting.at(at(minute), null));
            assertThat(straight.at(at(minute), "w-1")).isEqualTo(upcasting.at(at(minute), "w-1"));
        }
        assertThat(straight.at(at(9), null).unreadable()).as("the two malformed rows still count").isEqualTo(2);
    }

    @Test
    void eachInstantSeesTheEventsRecordedUpToIt() {
        get("?at=" + at(9), true).expectStatus().isOk().expectBody()
                .jsonPath("$.at").isEqualTo(at(9).toString())
                .jsonPath("$.unreadable").isEqualTo(2)
                .jsonPath("$.members[?(@.email == 'alice@example.com')].trusted").isEqualTo(true)
                .jsonPath("$.members[?(@.email == 'carol@example.com')].role").isEqualTo("user")
                .jsonPath("$.firewall.rules.length()").isEqualTo(1)
                .jsonPath("$.workspaces[0].access[0].email").isEqualTo(ALICE)
                .jsonPath("$.sessions[0].id").isEqualTo("conn-1");
        get("?at=" + at(10), true).expectStatus().isOk().expectBody()
                .jsonPath("$.firewall.rules[1].action").isEqualTo("deny")
                .jsonPath("$.firewall.rules[1].cidr").isEqualTo("10.0.0.0/24")
                .jsonPath("$.sessions[0].firewall").isEqualTo("denied by rule 10.0.0.0/24");
        get("?at=" + at(12), true).expectStatus().isOk().expectBody()
                .jsonPath("$.sessions.length()").isEqualTo(0);
        get("?at=" + at(21).minusMillis(1), true).expectStatus().isOk().expectBody()
                .jsonPath("$.workspaces[0].status").isEqualTo("RUNNING")
                .jsonPath("$.workspaces[0].launch.allowed").isEqualTo(true);
        get("?at=" + at(21), true).expectStatus().isOk().expectBody()
                .jsonPath("$.workspaces[0].access.length()").isEqualTo(0)
                .jsonPath("$.workspaces[0].noAccess").value(s -> assertThat((String) s).contains("not a member"));
    }

    @Test
    void theSequenceIsTheLastEventRecordedUpToTheInstant() {
        long lastAtMinute9 = jdbc.queryForObject("SELECT MAX(global_index) FROM domain_event_entry WHERE time_stamp <= ?",
                Long.class, DateTimeUtils.formatInstant(at(9)));

        get("?at=" + at(9), true).expectBody().jsonPath("$.sequence").isEqualTo((int) lastAtMinute9);
        get("?at=" + at(0), true).expectBody().jsonPath("$.sequence").isEmpty()
                .jsonPath("$.members.length()").isEqualTo(0);
    }

    @Test
    void oneWorkspaceCanBeAskedFor() {
        get("?at=" + at(13) + "&workspace=ws-1", true).expectStatus().isOk().expectBody()
                .jsonPath("$.workspaces.length()").isEqualTo(1)
                .jsonPath("$.sessions[0].type").isEqualTo("preview");
        get("?at=" + at(13) + "&workspace=ws-unknown", true).expectStatus().isOk().expectBody()
                .jsonPath("$.workspaces.length()").isEqualTo(0)
                .jsonPath("$.sessions.length()").isEqualTo(0);
    }

    @Test
    void onlyAdminsMayAsk() {
        get("?at=" + at(9), false).expectStatus().isForbidden().expectBody().jsonPath("$.code").isEqualTo("forbidden");
    }

    @Test
    void aMissingMalformedOrFutureInstantIsRefused() {
        get("", true).expectStatus().isBadRequest().expectBody().jsonPath("$.code").isEqualTo("validation-failed");
        get("?at=yesterday", true).expectStatus().isBadRequest().expectBody()
                .jsonPath("$.code").isEqualTo("validation-failed");
        get("?at=" + at(31), true).expectStatus().isBadRequest().expectBody()
                .jsonPath("$.detail").value(d -> assertThat((String) d).contains("future"));
    }
}
