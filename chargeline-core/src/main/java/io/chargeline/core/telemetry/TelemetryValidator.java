package io.chargeline.core.telemetry;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.chargeline.core.device.ChargerIds;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Applies the wire contract to one message published on {@code telemetry/{chargerId}}. Checks run in the
 * reference system's order, so the first failing rule names the reason.
 */
public final class TelemetryValidator {
    /** AWS IoT Core's payload limit, which devices in the field are already built for. */
    public static final int MAX_PAYLOAD_BYTES = 128 * 1024;

    /** Clock skew a device may have before its timestamps count as "in the future". */
    public static final Duration MAX_FUTURE_SKEW = Duration.ofMinutes(5);

    public static final String TOPIC_PREFIX = "telemetry/";

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    /** No record is older than this; before it, day buckets and timestamps lose their meaning. */
    public static final Instant OLDEST_TIMESTAMP = Instant.EPOCH;

    private final Clock clock;
    private final Duration maxAge;
    /** Until this instant the retention period reaches back to 1970 (worked out once: it is per message). */
    private final Instant reachesBack1970Until;

    /**
     * @param maxAge the retention period: a record older than this would expire at once, so it is refused
     */
    public TelemetryValidator(Clock clock, Duration maxAge) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.maxAge = Objects.requireNonNull(maxAge, "maxAge");
        if (maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("maxAge must be positive");
        }
        this.reachesBack1970Until = maxAge.compareTo(Duration.between(OLDEST_TIMESTAMP, Instant.MAX)) >= 0
                ? Instant.MAX : OLDEST_TIMESTAMP.plus(maxAge);
    }

    /**
     * @param topic the topic the message arrived on
     * @param identity the authenticated charger id (certificate CN), or {@code null} when not known
     * @param payload the raw payload
     * @param receivedAt when the gateway received it
     */
    public ValidationOutcome validate(String topic, String identity, byte[] payload, Instant receivedAt) {
        if (payload.length > MAX_PAYLOAD_BYTES) {
            return reject(RejectReason.PayloadTooLarge,
                    "payload is " + payload.length + " bytes; the limit is " + MAX_PAYLOAD_BYTES);
        }
        String topicId = chargerIdOfTopic(topic);
        if (topicId == null) {
            return reject(RejectReason.InvalidTopic, "topic must be telemetry/{chargerId}");
        }
        JsonNode message;
        try {
            message = JSON.readTree(payload);
        } catch (JsonProcessingException e) {
            return reject(RejectReason.MalformedJson, "payload is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            return reject(RejectReason.MalformedJson, "payload could not be read as JSON");
        }
        if (message == null || !message.isObject()) {
            return reject(RejectReason.MalformedJson, "payload must be a JSON object");
        }
        JsonNode chargerIdNode = message.get("chargerId");
        if (chargerIdNode == null || chargerIdNode.isNull()) {
            return reject(RejectReason.MissingChargerId, "chargerId is required");
        }
        if (!chargerIdNode.isTextual() || !ChargerIds.isValid(chargerIdNode.textValue())) {
            return reject(RejectReason.InvalidChargerIdFormat, "chargerId must match ^[A-Za-z0-9_-]{1,128}$");
        }
        String chargerId = chargerIdNode.textValue();
        JsonNode timestampNode = message.get("timestamp");
        if (timestampNode == null || timestampNode.isNull()) {
            return reject(RejectReason.MissingTimestamp, "timestamp is required");
        }
        Instant timestamp = parseTimestamp(timestampNode);
        if (timestamp == null) {
            return reject(RejectReason.InvalidTimestampFormat,
                    "timestamp must be ISO-8601 with a zone, e.g. 2026-02-10T19:58:24.656Z");
        }
        Instant now = clock.instant();
        if (timestamp.isAfter(now.plus(MAX_FUTURE_SKEW))) {
            return reject(RejectReason.FutureTimestamp, "timestamp is more than 5 minutes in the future");
        }
        Instant oldest = oldestAccepted(now);
        if (timestamp.isBefore(oldest)) {
            return reject(RejectReason.TimestampTooOld, "timestamp is before " + oldest
                    + (oldest.equals(OLDEST_TIMESTAMP) ? "" : ", older than the retention period of " + maxAge.toDays()
                            + " days"));
        }
        JsonNode data = message.get("data");
        if (data != null && !data.isNull() && !data.isObject()) {
            return reject(RejectReason.InvalidData, "data must be a JSON object when present");
        }
        String unrepresentable = data == null ? null : FiniteNumbers.firstUnrepresentable(data);
        if (unrepresentable != null) {
            return reject(RejectReason.NumberOutOfRange, "data." + unrepresentable
                    + " is beyond what a 64-bit float holds (about 4.9e-324 to 1.8e308 in magnitude)");
        }
        if (!chargerId.equals(topicId)) {
            return reject(RejectReason.ChargerIdMismatch, "chargerId in the payload differs from the topic's");
        }
        if (identity != null && !chargerId.equals(identity)) {
            return reject(RejectReason.ChargerIdMismatch, "chargerId differs from the certificate identity");
        }
        String dataJson = data == null || data.isNull() ? null : data.toString();
        return new ValidationOutcome.Accepted(new TelemetryRecord(chargerId, timestamp, dataJson, receivedAt, null));
    }

    /** The oldest timestamp accepted at {@code now}: the retention period back, and never before 1970. */
    public Instant oldestAccepted(Instant now) {
        return now.isAfter(reachesBack1970Until) ? now.minus(maxAge) : OLDEST_TIMESTAMP;
    }

    /** The charger id in {@code telemetry/{id}}, or {@code null} if the topic has another shape. */
    public static String chargerIdOfTopic(String topic) {
        if (topic == null || !topic.startsWith(TOPIC_PREFIX)) {
            return null;
        }
        String id = topic.substring(TOPIC_PREFIX.length());
        return ChargerIds.isValid(id) ? id : null;
    }

    private static Instant parseTimestamp(JsonNode node) {
        return node.isTextual() ? IsoTimestamps.parse(node.textValue()) : null;
    }

    private static ValidationOutcome reject(RejectReason reason, String detail) {
        return new ValidationOutcome.Rejected(reason, detail);
    }
}
