package dev.rdeportal.query.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rdeportal.domain.DomainException;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The export formats: JSON Lines (one entry per line, as the list API shows it) and CSV. */
enum AuditExportFormat {

    JSONL("application/x-ndjson", "jsonl"),
    CSV("text/csv", "csv");

    static final String CSV_HEADER = "sequence,time,actor,ip,type,subject,summary,eventId,correlationId,payload";

    private final String mediaType;
    private final String extension;

    AuditExportFormat(String mediaType, String extension) {
        this.mediaType = mediaType;
        this.extension = extension;
    }

    String mediaType() {
        return mediaType;
    }

    String extension() {
        return extension;
    }

    static AuditExportFormat parse(String value) {
        if (value == null || value.isBlank()) {
            return JSONL;
        }
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw DomainException.invalid("format must be jsonl or csv");
        }
    }

    /** Writes entries one by one; nothing is kept once written beyond the stream's own buffer. */
    interface Writer extends Closeable {
        void write(AuditEntry entry) throws IOException;
    }

    Writer open(OutputStream out) throws IOException {
        BufferedWriter text = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 64 * 1024);
        ObjectMapper json = AuditEntries.json();
        if (this == JSONL) {
            return new Writer() {
                @Override
                public void write(AuditEntry entry) throws IOException {
                    text.write(json.writeValueAsString(jsonl(entry)));
                    text.write('\n');
                }

                @Override
                public void close() throws IOException {
                    text.flush();
                }
            };
        }
        text.write(CSV_HEADER);
        text.write("\r\n");
        return new Writer() {
            @Override
            public void write(AuditEntry e) throws IOException {
                String[] cells = {Long.toString(e.sequence()), e.time() == null ? "" : e.time().toString(),
                        e.actor(), e.ip(), e.type(), e.subject(), e.summary(), e.eventId(), e.correlationId(),
                        e.payload() == null ? "" : json.writeValueAsString(e.payload())};
                for (int i = 0; i < cells.length; i++) {
                    if (i > 0) {
                        text.write(',');
                    }
                    cell(text, cells[i]);
                }
                text.write("\r\n");
            }

            @Override
            public void close() throws IOException {
                text.flush();
            }
        };
    }

    /** The entry with its time as ISO text: the export's mapper has no Java time module. */
    private static Map<String, Object> jsonl(AuditEntry e) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("sequence", e.sequence());
        line.put("time", e.time() == null ? null : e.time().toString());
        line.put("actor", e.actor());
        line.put("ip", e.ip());
        line.put("type", e.type());
        line.put("subject", e.subject());
        line.put("summary", e.summary());
        line.put("eventId", e.eventId());
        line.put("correlationId", e.correlationId());
        line.put("payload", e.payload());
        return line;
    }

    /**
     * RFC 4180 quoting, and a leading apostrophe for cells a spreadsheet would run as a formula
     * (=, +, -, @): an export is opened in spreadsheets, and names in it come from users.
     */
    static void cell(java.io.Writer out, String value) throws IOException {
        if (value == null || value.isEmpty()) {
            return;
        }
        char first = value.charAt(0);
        String safe = first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r'
                ? "'" + value : value;
        if (safe.indexOf(',') < 0 && safe.indexOf('"') < 0 && safe.indexOf('\n') < 0 && safe.indexOf('\r') < 0) {
            out.write(safe);
            return;
        }
        out.write('"');
        out.write(safe.replace("\"", "\"\""));
        out.write('"');
    }
}
