package io.chargeline.core.telemetry;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chargeline.core.InvalidRequestException;
import io.chargeline.core.NotFoundException;
import io.chargeline.core.audit.Actor;
import io.chargeline.core.audit.Audit;
import io.chargeline.core.device.ChargerIds;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;

/**
 * Operators' changes to stored telemetry, the part of the lifecycle DynamoDB gave the reference design: replacing a
 * record's {@code data}, merging into it (JSON merge patch, RFC 7396), and deleting records. The store keeps
 * rollups and the latest index exact; the data must pass the same checks as at ingest.
 */
public final class TelemetryCorrections {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final TelemetryStore store;
    private final Audit audit;
    private final TelemetryChanges changes;
    private final Clock clock;

    /** @param changes told of each change once it is stored (the live streams follow it) */
    public TelemetryCorrections(TelemetryStore store, Audit audit, TelemetryChanges changes, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.changes = Objects.requireNonNull(changes, "changes");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The record's timestamp as a path names it: ISO-8601 with a zone, as in messages. */
    public static Instant timestamp(String text) {
        Instant t = text == null ? null : IsoTimestamps.parse(text);
        if (t == null) {
            throw new InvalidRequestException("the timestamp must be ISO-8601 with a zone, as the record has it, e.g. "
                    + "2026-02-10T19:58:24.000Z");
        }
        return t;
    }

    /** Replaces the record's {@code data} with {@code body}, a JSON object. */
    public TelemetryRecord replace(Actor who, String chargerId, Instant timestamp, byte[] body) {
        ObjectNode data = checked(parse(body, "the body must be the record's new data: one JSON object"));
        String json = data.toString();
        TelemetryRecord r = store.update(ChargerIds.require(chargerId), timestamp, old -> json, clock.instant())
                .orElseThrow(() -> notFound(chargerId, timestamp));
        audit.record(who, "telemetry.replace", chargerId, at(timestamp).toString());
        changes.changed(TelemetryChange.updated(r));
        return r;
    }

    /** Merges {@code body}, a JSON merge patch, into the record's {@code data}: null members remove keys. */
    public TelemetryRecord patch(Actor who, String chargerId, Instant timestamp, byte[] body) {
        JsonNode patch = parse(body, "the body must be a JSON merge patch (RFC 7396) of the record's data: a JSON object");
        TelemetryRecord r = store.update(ChargerIds.require(chargerId), timestamp, old -> {
            ObjectNode data = old == null ? JSON.createObjectNode() : (ObjectNode) StoredData.parse(old);
            return checked(merge(data, patch)).toString();
        }, clock.instant()).orElseThrow(() -> notFound(chargerId, timestamp));
        audit.record(who, "telemetry.patch", chargerId, at(timestamp).toString());
        changes.changed(TelemetryChange.updated(r));
        return r;
    }

    /** Deletes one record. */
    public void delete(Actor who, String chargerId, Instant timestamp) {
        if (store.delete(ChargerIds.require(chargerId), timestamp, timestamp.plusNanos(1)) == 0) {
            throw notFound(chargerId, timestamp);
        }
        audit.record(who, "telemetry.delete", chargerId, at(timestamp).put("count", 1).toString());
        changes.changed(TelemetryChange.deleted(
                new TelemetryChange.Deletion(chargerId, timestamp, timestamp.plusNanos(1), 1)));
    }

    /** Deletes the charger's records with {@code from <= timestamp < to}; returns how many. */
    public long delete(Actor who, String chargerId, Instant from, Instant to) {
        if (!from.isBefore(to)) {
            throw new InvalidRequestException("from must be before to");
        }
        long deleted = store.delete(ChargerIds.require(chargerId), from, to);
        audit.record(who, "telemetry.delete", chargerId, JSON.createObjectNode()
                .put("from", JsonTimestamps.format(from)).put("to", JsonTimestamps.format(to)).put("count", deleted)
                .toString());
        if (deleted > 0) {
            changes.changed(TelemetryChange.deleted(new TelemetryChange.Deletion(chargerId, from, to, deleted)));
        }
        return deleted;
    }

    private static ObjectNode at(Instant timestamp) {
        return JSON.createObjectNode().put("timestamp", JsonTimestamps.formatRecordTimestamp(timestamp));
    }

    private static JsonNode parse(byte[] body, String expected) {
        JsonNode node;
        try {
            node = JSON.readTree(new String(body, StandardCharsets.UTF_8));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new InvalidRequestException(expected + " (" + e.getOriginalMessage() + ")");
        }
        if (node == null || !node.isObject()) {
            throw new InvalidRequestException(expected);
        }
        return node;
    }

    /** RFC 7396: members of an object patch merge in, null removes, anything else replaces. */
    private static JsonNode merge(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch;
        }
        ObjectNode out = target != null && target.isObject() ? (ObjectNode) target : JSON.createObjectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> member = it.next();
            if (member.getValue().isNull()) {
                out.remove(member.getKey());
            } else {
                out.set(member.getKey(), merge(out.get(member.getKey()), member.getValue()));
            }
        }
        return out;
    }

    /** The checks data passes at ingest: an object, every number one a double can hold. */
    private static ObjectNode checked(JsonNode data) {
        if (!data.isObject()) {
            throw new InvalidRequestException("data must be a JSON object");
        }
        String unrepresentable = FiniteNumbers.firstUnrepresentable(data);
        if (unrepresentable != null) {
            throw new InvalidRequestException("data." + unrepresentable
                    + " is beyond what a 64-bit float holds (about 4.9e-324 to 1.8e308 in magnitude)");
        }
        return (ObjectNode) data;
    }

    private static NotFoundException notFound(String chargerId, Instant timestamp) {
        return new NotFoundException("charger " + chargerId + " has no record at " + JsonTimestamps.formatRecordTimestamp(timestamp));
    }
}
