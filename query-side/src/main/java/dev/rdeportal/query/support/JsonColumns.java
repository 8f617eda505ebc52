package dev.rdeportal.query.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Value objects stored as JSON text in read-model columns (a workspace's spec, a blueprint's
 * details). A private mapper rather than the application's: the stored format must not change when
 * someone tunes the HTTP serializer. Unknown properties are ignored so that a row written by a
 * newer version stays readable by an older replica during a rolling upgrade.
 */
public final class JsonColumns {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private JsonColumns() {
    }

    public static String write(Object value) {
        if (value == null) {
            return null;
        }
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw failure("write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    public static <T> T read(String json, Class<T> type) {
        if (json == null) {
            return null;
        }
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw failure("read " + type.getSimpleName() + " from a JSON column", e);
        }
    }

    public static <T> T read(String json, TypeReference<T> type) {
        if (json == null) {
            return null;
        }
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw failure("read " + type.getType() + " from a JSON column", e);
        }
    }

    private static IllegalStateException failure(String action, JsonProcessingException e) {
        return new IllegalStateException(action + ": " + e.getOriginalMessage(), e);
    }
}
