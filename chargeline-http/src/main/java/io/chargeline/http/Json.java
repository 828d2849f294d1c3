package io.chargeline.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import io.chargeline.core.InvalidRequestException;
import io.chargeline.core.JsonTimestamps;
import io.chargeline.core.TelemetryRecord;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/** JSON in and out of the API: one mapper, ISO-8601 UTC timestamps with milliseconds. */
final class Json {
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private Json() {}

    static String time(Instant instant) {
        return JsonTimestamps.format(instant);
    }

    static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a response", e);
        }
    }

    /**
     * The shape of every listing: {@code {"items":[...],"nextCursor":...}}, {@code nextCursor} null on the
     * last page (and always for lists that are not paged).
     */
    static <T> ObjectNode list(List<T> items, Function<T, ? extends JsonNode> item, String nextCursor) {
        ObjectNode body = MAPPER.createObjectNode();
        ArrayNode array = body.putArray("items");
        items.forEach(i -> array.add(item.apply(i)));
        body.put("nextCursor", nextCursor);
        return body;
    }

    /** The seed-compatible telemetry shape: chargerId, timestamp, data, metadata{receivedAt, processedAt}. */
    static ObjectNode telemetry(TelemetryRecord r) {
        ObjectNode node = MAPPER.createObjectNode()
                .put("chargerId", r.chargerId())
                .put("timestamp", JsonTimestamps.formatRecordTimestamp(r.timestamp()));
        if (r.dataJson() == null) {
            node.putObject("data");
        } else {
            node.putRawValue("data", new RawValue(r.dataJson()));
        }
        node.putObject("metadata")
                .put("receivedAt", time(r.receivedAt()))
                .put("processedAt", time(r.processedAt()));
        return node;
    }

    /** Parses a request body that must be a JSON object. */
    static JsonNode object(byte[] body) {
        JsonNode node;
        try {
            node = body.length == 0 ? null : MAPPER.readTree(body);
        } catch (IOException e) {
            throw new InvalidRequestException("request body is not valid JSON");
        }
        if (node == null || !node.isObject()) {
            throw new InvalidRequestException("request body must be a JSON object");
        }
        return node;
    }

    /** A string field of a request object, or null if absent; anything but a string is a client error. */
    static String text(JsonNode object, String field) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new InvalidRequestException(field + " must be a string");
        }
        return value.textValue();
    }
}
