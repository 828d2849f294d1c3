package io.chargeline.core.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chargeline.core.device.ChargerIds;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class TelemetryValidatorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    /** A year, so the samples from February pass; the retention bound has tests of its own. */
    private final TelemetryValidator validator =
            new TelemetryValidator(Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofDays(365));

    static Stream<String> validSamples() throws IOException {
        return lines("samples/telemetry-valid.jsonl").stream();
    }

    static Stream<Arguments> invalidSamples() throws IOException {
        List<Arguments> args = new ArrayList<>();
        for (String line : lines("samples/telemetry-invalid.jsonl")) {
            JsonNode node = JSON.readTree(line);
            args.add(Arguments.of(RejectReason.valueOf(node.get("expect").asText()), node.get("payload").toString()));
        }
        return args.stream();
    }

    @ParameterizedTest
    @MethodSource("validSamples")
    void sample_valid_isAccepted(String payload) throws IOException {
        String id = JSON.readTree(payload).get("chargerId").asText();

        ValidationOutcome outcome = validate("telemetry/" + id, id, payload);

        assertThat(outcome).isInstanceOf(ValidationOutcome.Accepted.class);
    }

    @ParameterizedTest
    @MethodSource("invalidSamples")
    void sample_invalid_isRejectedWithItsReason(RejectReason expected, String payload) {
        ValidationOutcome outcome = validate("telemetry/CH-1", "CH-1", payload);

        assertThat(outcome).isInstanceOfSatisfying(ValidationOutcome.Rejected.class,
                r -> assertThat(r.reason()).isEqualTo(expected));
    }

    @Test
    void accepted_normalisesOffsetToUtcAndKeepsData() {
        ValidationOutcome outcome = validate("telemetry/CH-1", "CH-1",
                "{\"chargerId\":\"CH-1\",\"timestamp\":\"2026-02-10T21:58:44.120+02:00\",\"data\":{\"v\":240.50}}");

        TelemetryRecord record = ((ValidationOutcome.Accepted) outcome).record();
        assertThat(record.timestamp()).isEqualTo(Instant.parse("2026-02-10T19:58:44.120Z"));
        assertThat(record.dataJson()).isEqualTo("{\"v\":240.50}");
    }

    @Test
    void accepted_withoutData_hasNoData() {
        TelemetryRecord record = accepted("{\"chargerId\":\"CH-1\",\"timestamp\":\"2026-02-10T19:58:44Z\"}");

        assertThat(record.dataJson()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "not json", "{\"chargerId\":", "[1,2]", "\"text\"", "42", "", "{\"chargerId\":\"CH-1\"} trailing",
        "{\"chargerId\":\"CH-1\",\"chargerId\":\"CH-2\",\"timestamp\":\"2026-02-10T19:58:44Z\"}"
    })
    void malformed_isMalformedJson(String payload) {
        assertThat(reason(payload)).isEqualTo(RejectReason.MalformedJson);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"\"", "42", "\"a.b\"", "\"ü\"", "true", "\"CH-1 \""})
    void badChargerId_isInvalidChargerIdFormat(String idJson) {
        String payload = "{\"chargerId\":" + idJson + ",\"timestamp\":\"2026-02-10T19:58:44Z\"}";

        assertThat(reason(payload)).isEqualTo(RejectReason.InvalidChargerIdFormat);
    }

    @Test
    void chargerId_of128Chars_isValid_and129_isNot() {
        assertThat(ChargerIds.isValid("a".repeat(128))).isTrue();
        assertThat(ChargerIds.isValid("a".repeat(129))).isFalse();
    }

    @Test
    void nullChargerId_isMissingChargerId() {
        assertThat(reason("{\"chargerId\":null,\"timestamp\":\"2026-02-10T19:58:44Z\"}"))
                .isEqualTo(RejectReason.MissingChargerId);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"2026-02-10\"", "\"2026-02-30T10:00:00Z\"", "1770753504", "\"2026-02-10 19:58:44Z\"",
        "\"2026-02-10T25:00:00Z\"", "{}"})
    void badTimestamp_isInvalidTimestampFormat(String tsJson) {
        assertThat(reason("{\"chargerId\":\"CH-1\",\"timestamp\":" + tsJson + "}"))
                .isEqualTo(RejectReason.InvalidTimestampFormat);
    }

    @Test
    void timestamp_fiveMinutesAhead_isAccepted_butOneMillisMore_isFuture() {
        Instant limit = NOW.plus(TelemetryValidator.MAX_FUTURE_SKEW);

        assertThat(validate("telemetry/CH-1", "CH-1", payloadAt(limit)))
                .isInstanceOf(ValidationOutcome.Accepted.class);
        assertThat(reason(payloadAt(limit.plusMillis(1)))).isEqualTo(RejectReason.FutureTimestamp);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-999999999-01-01T00:00:00Z", "-0001-01-01T00:00:00Z", "-10000-01-01T00:00:00Z",
        "0000-01-01T00:00:00Z", "1969-12-31T23:59:59.999Z", "+10000-01-01T00:00:00Z"})
    void timestampNoStoreCanHold_isRefused_neverAccepted(String ts) {
        TelemetryValidator forever = new TelemetryValidator(Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofDays(365_000));

        ValidationOutcome outcome = validate(forever, "{\"chargerId\":\"CH-1\",\"timestamp\":\"" + ts + "\"}");

        assertThat(outcome).isInstanceOfSatisfying(ValidationOutcome.Rejected.class, r -> assertThat(r.reason())
                .isIn(RejectReason.TimestampTooOld, RejectReason.FutureTimestamp));
    }

    @Test
    void timestamp_atTheEpoch_isTheOldestAccepted_whenRetentionReachesThatFar() {
        TelemetryValidator forever = new TelemetryValidator(Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofDays(365_000));

        assertThat(validate(forever, payloadAt(Instant.EPOCH))).isInstanceOf(ValidationOutcome.Accepted.class);
        assertThat(forever.oldestAccepted(NOW)).isEqualTo(Instant.EPOCH);
    }

    @Test
    void timestamp_olderThanRetention_isTooOld_butAtTheBound_isAccepted() {
        TelemetryValidator ninetyDays = new TelemetryValidator(Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofDays(90));
        Instant oldest = NOW.minus(Duration.ofDays(90));

        assertThat(validate(ninetyDays, payloadAt(oldest))).isInstanceOf(ValidationOutcome.Accepted.class);
        ValidationOutcome older = validate(ninetyDays, payloadAt(oldest.minusMillis(1)));
        assertThat(older).isInstanceOfSatisfying(ValidationOutcome.Rejected.class, r -> {
            assertThat(r.reason()).isEqualTo(RejectReason.TimestampTooOld);
            assertThat(r.detail()).isEqualTo("timestamp is before 2026-08-28T12:00:00Z, older than the retention "
                    + "period of 90 days");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"t\":1e999999}", "{\"t\":-1e309}", "{\"t\":1e-999999}", "{\"a\":{\"b\":[1,2e400]}}"})
    void numberAFloatCannotHold_isNumberOutOfRange(String dataJson) {
        assertThat(reason(payloadWithData(dataJson))).isEqualTo(RejectReason.NumberOutOfRange);
    }

    @Test
    void numberOutOfRange_namesWhereItIs() {
        ValidationOutcome outcome = validate(validator, payloadWithData("{\"a\":{\"b\":[1,2e400]}}"));

        assertThat(((ValidationOutcome.Rejected) outcome).detail()).startsWith("data.a.b[1] is beyond");
    }

    @Test
    void numbersAFloatHolds_areKeptExactlyAsSent() {
        TelemetryRecord record = accepted(payloadWithData("{\"max\":1.7976931348623157e308,\"tiny\":4.9e-324,"
                + "\"big\":123456789012345678901234567890,\"v\":240.50,\"zero\":0.0,\"n\":-7}"));

        assertThat(record.dataJson()).isEqualTo("{\"max\":1.7976931348623157E+308,\"tiny\":4.9E-324,"
                + "\"big\":123456789012345678901234567890,\"v\":240.50,\"zero\":0.0,\"n\":-7}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[1]", "\"x\"", "3", "true"})
    void nonObjectData_isInvalidData(String dataJson) {
        assertThat(reason(payloadWithData(dataJson))).isEqualTo(RejectReason.InvalidData);
    }

    @Test
    void payloadIdDiffersFromTopic_isChargerIdMismatch() {
        ValidationOutcome outcome = validate("telemetry/CH-1", "CH-1",
                "{\"chargerId\":\"CH-2\",\"timestamp\":\"2026-02-10T19:58:44Z\"}");

        assertThat(((ValidationOutcome.Rejected) outcome).reason()).isEqualTo(RejectReason.ChargerIdMismatch);
    }

    @Test
    void payloadIdDiffersFromCertificate_isChargerIdMismatch() {
        ValidationOutcome outcome = validate("telemetry/CH-2", "CH-1",
                "{\"chargerId\":\"CH-2\",\"timestamp\":\"2026-02-10T19:58:44Z\"}");

        assertThat(((ValidationOutcome.Rejected) outcome).reason()).isEqualTo(RejectReason.ChargerIdMismatch);
    }

    @ParameterizedTest
    @ValueSource(strings = {"commands/CH-1", "telemetry/", "telemetry/CH-1/x", "telemetry/CH 1"})
    void wrongTopic_isInvalidTopic(String topic) {
        ValidationOutcome outcome = validate(topic, "CH-1", payloadAt(NOW));

        assertThat(((ValidationOutcome.Rejected) outcome).reason()).isEqualTo(RejectReason.InvalidTopic);
    }

    @Test
    void payloadOverLimit_isPayloadTooLarge_butAtLimit_isParsed() {
        String head = "{\"chargerId\":\"CH-1\",\"timestamp\":\"2026-02-10T19:58:44Z\",\"data\":{\"pad\":\"";
        String tail = "\"}}";
        String atLimit = head + "x".repeat(TelemetryValidator.MAX_PAYLOAD_BYTES - head.length() - tail.length()) + tail;

        assertThat(validate("telemetry/CH-1", "CH-1", atLimit)).isInstanceOf(ValidationOutcome.Accepted.class);
        assertThat(reason(atLimit.replace("{\"pad\"", "{\"pad2\""))).isEqualTo(RejectReason.PayloadTooLarge);
    }

    private ValidationOutcome validate(String topic, String identity, String payload) {
        return validator.validate(topic, identity, payload.getBytes(StandardCharsets.UTF_8), NOW);
    }

    /** A CH-1 message on its own topic, through {@code other} instead of this test's validator. */
    private static ValidationOutcome validate(TelemetryValidator other, String payload) {
        return other.validate("telemetry/CH-1", "CH-1", payload.getBytes(StandardCharsets.UTF_8), NOW);
    }

    /** A valid CH-1 message from February with {@code dataJson} as its data. */
    private static String payloadWithData(String dataJson) {
        return "{\"chargerId\":\"CH-1\",\"timestamp\":\"2026-02-10T19:58:44Z\",\"data\":" + dataJson + "}";
    }

    private RejectReason reason(String payload) {
        ValidationOutcome outcome = validate("telemetry/CH-1", "CH-1", payload);
        assertThat(outcome).isInstanceOf(ValidationOutcome.Rejected.class);
        return ((ValidationOutcome.Rejected) outcome).reason();
    }

    private TelemetryRecord accepted(String payload) {
        return ((ValidationOutcome.Accepted) validate("telemetry/CH-1", "CH-1", payload)).record();
    }

    private static String payloadAt(Instant ts) {
        return "{\"chargerId\":\"CH-1\",\"timestamp\":\"" + ts + "\"}";
    }

    private static List<String> lines(String resource) throws IOException {
        try (InputStream in = TelemetryValidatorTest.class.getClassLoader().getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
        }
    }
}
