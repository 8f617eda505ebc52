package dev.rdeportal.query.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rdeportal.domain.MetaDataKeys;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;

/**
 * Turns stored rows into {@link AuditEntry}s: reads the JSON payload and metadata as written by
 * Axon's Jackson serializer, drops secret-bearing fields and writes a one-line summary. Reads never
 * fail on a strange row: the audit log must show a tampered or unreadable event, not hide it.
 */
final class AuditEntries {

    /**
     * Never shown, wherever they appear in a payload: the LLM key's ciphertext (useless without the
     * master key, but it stays inside the portal), and hashes of credentials and join tokens.
     */
    static final Set<String> REDACTED = Set.of("encryptedApiKey", "credentialHash", "joinTokenHash");

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private AuditEntries() {
    }

    static AuditEntry of(StoredEvent row) {
        JsonNode metaData = tree(row.metaData());
        JsonNode payload = tree(row.payload());
        if (payload != null) {
            redact(payload);
        }
        String type = simpleName(row.payloadType());
        String actor = text(metaData, MetaDataKeys.ACTOR);
        String subject = row.type() == null && text(payload, "workspaceId") != null
                ? text(payload, "workspaceId") : row.aggregateIdentifier();
        return new AuditEntry(row.globalIndex(), time(row.timeStamp()), actor, text(metaData, MetaDataKeys.CLIENT_IP),
                type, subject, summary(actor, type, subject, payload),
                payload == null ? null : JSON.convertValue(payload, Object.class), row.eventIdentifier(),
                text(metaData, "correlationId"));
    }

    static String simpleName(String payloadType) {
        if (payloadType == null) {
            return null;
        }
        int cut = Math.max(payloadType.lastIndexOf('.'), payloadType.lastIndexOf('$'));
        return payloadType.substring(cut + 1);
    }

    /** "alice@example.com: workspace launched w-1 (name: demo)" — generic, from the type's name. */
    static String summary(String actor, String type, String subject, JsonNode payload) {
        StringBuilder s = new StringBuilder(actor == null ? "unknown actor" : actor).append(": ")
                .append(words(type == null ? "event" : type));
        if (subject != null) {
            s.append(' ').append(subject);
        }
        StringBuilder details = new StringBuilder();
        for (String field : new String[] {"name", "blueprintId", "clusterId", "reason", "command"}) {
            String value = text(payload, field);
            if (value != null && !value.isEmpty() && !value.equals(subject)) {
                details.append(details.length() == 0 ? "" : ", ").append(field).append(": ").append(value);
            }
        }
        if (payload == null) {
            details.append("payload unreadable");
        }
        if (details.length() > 0) {
            s.append(" (").append(details).append(')');
        }
        return s.toString();
    }

    private static String words(String type) {
        String name = type.endsWith("Event") ? type.substring(0, type.length() - "Event".length()) : type;
        return name.replaceAll("([a-z0-9])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
    }

    private static void redact(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.remove(REDACTED);
        }
        for (Iterator<JsonNode> children = node.elements(); children.hasNext(); ) {
            redact(children.next());
        }
    }

    private static JsonNode tree(byte[] json) {
        if (json == null || json.length == 0) {
            return null;
        }
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            return null;
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() || value.isContainerNode() ? null : value.asText();
    }

    private static Instant time(String stamp) {
        try {
            return stamp == null ? null : Instant.parse(stamp);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    static ObjectMapper json() {
        return JSON;
    }
}
