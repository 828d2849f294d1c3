package io.chargeline.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import io.chargeline.core.InvalidRequestException;
import io.chargeline.core.Page;
import io.chargeline.core.telemetry.DataFields;
import io.chargeline.core.telemetry.JsonTimestamps;
import io.chargeline.core.telemetry.TelemetryRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * JSON in and out of the API: one mapper, ISO-8601 UTC timestamps with milliseconds, and one strict reading of
 * request bodies (no duplicate keys, nothing after the value, no properties the route does not know).
 */
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

    /** A page of a paged list, its next cursor issued in {@code cursor}'s form. */
    static <T> ObjectNode page(Page<T> page, Function<T, ? extends JsonNode> item, ListCursor cursor) {
        return list(page.items(), item, cursor.encode(page.nextCursor()));
    }

    /**
     * The seed-compatible telemetry shape: chargerId, timestamp, data, metadata{receivedAt, processedAt}, and
     * metadata.updatedAt for a corrected record.
     */
    static ObjectNode telemetry(TelemetryRecord r) {
        return telemetry(r, DataFields.ALL);
    }

    /** The same shape with only the {@code data} fields asked for. */
    static ObjectNode telemetry(TelemetryRecord r, DataFields fields) {
        ObjectNode node = MAPPER.createObjectNode()
                .put("chargerId", r.chargerId())
                .put("timestamp", JsonTimestamps.formatRecordTimestamp(r.timestamp()));
        if (!fields.all()) {
            node.set("data", fields.select(r.dataJson()));
        } else if (r.dataJson() == null) {
            node.putObject("data");
        } else {
            node.putRawValue("data", new RawValue(r.dataJson()));
        }
        ObjectNode metadata = node.putObject("metadata")
                .put("receivedAt", time(r.receivedAt()))
                .put("processedAt", time(r.processedAt()));
        if (r.updatedAt() != null) {
            metadata.put("updatedAt", time(r.updatedAt()));
        }
        return node;
    }

    /**
     * Parses a request body that must be one JSON object with no properties but {@code fields}. Every route
     * reads its body here, so trailing content, duplicate keys and unknown properties are refused alike.
     */
    static JsonNode object(byte[] body, Set<String> fields) {
        JsonNode node;
        try (JsonParser parser = MAPPER.createParser(body)) {
            node = MAPPER.readTree(parser);
            if (node != null && node.isObject() && hasMore(parser)) {
                throw new InvalidRequestException("request body has content after the JSON object");
            }
        } catch (StreamReadException e) {
            // duplicate keys are refused by the parser itself (STRICT_DUPLICATE_DETECTION)
            throw new InvalidRequestException("request body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // reading a byte array does no I/O
        }
        if (node == null || !node.isObject()) {
            throw new InvalidRequestException("request body must be a JSON object");
        }
        onlyKnown(node, fields, "the request body");
        return node;
    }

    /** Refuses a property of {@code object} that is not in {@code fields}, naming it and what is expected. */
    static void onlyKnown(JsonNode object, Set<String> fields, String what) {
        object.fieldNames().forEachRemaining(name -> {
            if (!fields.contains(name)) {
                throw new InvalidRequestException("unknown property " + name + " in " + what + "; expected "
                        + new TreeSet<>(fields));
            }
        });
    }

    private static boolean hasMore(JsonParser parser) throws IOException {
        try {
            return parser.nextToken() != null;
        } catch (StreamReadException e) {
            return true; // not even a token, e.g. {"a":1}GARBAGE
        }
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
