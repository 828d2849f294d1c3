package io.chargeline.core.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IsoTimestampsTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "2026-02-10T19:58:24.656Z", "2026-02-10T19:58:24Z", "2026-02-10T21:58:24.1+02:00",
        "2026-02-10T19:58:24.123456789Z", "2024-02-29T00:00:00Z", "2000-02-29T23:59:59.999-00:00",
        "1970-01-01T00:00:00Z", "1969-12-31T23:59:59.5Z", "0001-01-01T00:00:00+18:00", "9999-12-31T23:59:59-18:00",
        "2026-12-31T23:30:00-05:30"})
    void commonShapes_areReadDirectly_withTheFormattersInstant(String text) {
        assertThat(IsoTimestamps.parseCommonShape(text)).isNotNull().isEqualTo(formatter(text));
        assertThat(IsoTimestamps.parse(text)).isEqualTo(formatter(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "2026-02-10t19:58:24z", "2026-02-10T19:58Z", "2026-02-10T19:58:24.Z", "2026-02-10T19:58:24+02",
        "2026-02-10T19:58:24+02:00:30", "+12026-02-10T19:58:24Z"})
    void otherShapesTheFormatterAccepts_stillParse(String text) {
        assertThat(IsoTimestamps.parseCommonShape(text)).isNull();
        assertThat(IsoTimestamps.parse(text)).isNotNull().isEqualTo(formatter(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "2026-02-10", "2026-02-30T10:00:00Z", "2026-02-29T10:00:00Z", "1900-02-29T10:00:00Z",
        "2026-04-31T10:00:00Z", "2026-13-01T10:00:00Z", "2026-00-01T10:00:00Z", "2026-02-00T10:00:00Z",
        "2026-02-10T24:00:00Z", "2026-02-10T19:60:00Z", "2026-02-10T19:58:60Z", "2026-02-10T19:58:24+0200",
        "2026-02-10T19:58:24.1234567890Z", "2026-02-10T19:58:24", "2026-02-10 19:58:24Z", "2026-02-10T19:58:24+18:01",
        "2026-02-10T19:58:24+19:00", "2026-02-10T19:58:24+02:60", "2026-02-10T19:58:24Zjunk", "2026-02-10T1a:58:24Z",
        "２０２６-02-10T19:58:24Z", "2026-02-10T19:58:24*02:00", "2026-02-10T19:58:24 Z"})
    void invalid_isNull_likeTheFormatter(String text) {
        assertThat(formatter(text)).isNull();
        assertThat(IsoTimestamps.parse(text)).isNull();
    }

    /** Random mutations of valid timestamps: the parser and the formatter must agree on every one. */
    @Test
    void agreesWithTheFormatter_onRandomNearMisses() {
        Random random = new Random(42);
        String alphabet = "0123456789-:T.Z+z ";
        for (int i = 0; i < 200_000; i++) {
            long second = random.nextLong(-62_000_000_000L, 253_000_000_000L);
            StringBuilder text = new StringBuilder(Instant.ofEpochSecond(second, random.nextInt(1_000_000_000)).toString());
            int edits = random.nextInt(3);
            for (int e = 0; e < edits && text.length() > 0; e++) {
                int at = random.nextInt(text.length());
                switch (random.nextInt(3)) {
                    case 0 -> text.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    case 1 -> text.deleteCharAt(at);
                    default -> text.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                }
            }
            String candidate = text.toString();
            assertThat(IsoTimestamps.parse(candidate)).as(candidate).isEqualTo(formatter(candidate));
        }
    }

    private static Instant formatter(String text) {
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
