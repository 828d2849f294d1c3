package io.chargeline.store.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chargeline.core.InvalidRequestException;
import io.chargeline.core.Page;
import io.chargeline.core.device.Device;
import io.chargeline.core.telemetry.DeadLetter;
import io.chargeline.core.telemetry.HistoryQuery;
import io.chargeline.core.telemetry.RejectReason;
import io.chargeline.core.telemetry.TelemetryRecord;
import io.chargeline.core.telemetry.TelemetryStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RocksDbStorageTest extends StorageFixture {
    private static final Instant T0 = Instant.parse("2026-02-10T23:59:00Z");

    @Test
    void latestOfMany_isEachChargersNewest_inTheOrderAsked_withoutThoseThatHaveNone() {
        commit(record("CH-1", T0, "{\"n\":1}"), record("CH-2", T0.plusSeconds(86_400), "{\"n\":2}"),
                record("CH-1", T0.plusSeconds(5), "{\"n\":3}"));

        assertThat(storage.telemetry().latest(List.of("CH-2", "CH-none", "CH-1")))
                .extracting(r -> r.chargerId() + " " + r.dataJson())
                .containsExactly("CH-2 {\"n\":2}", "CH-1 {\"n\":3}");
        assertThat(storage.telemetry().latest(List.<String>of())).isEmpty();
    }

    @Test
    void latest_isTheGreatestTimestamp_evenWhenWrittenOutOfOrder() {
        commit(record("CH-1", T0.plusSeconds(120), "{\"n\":2}"), record("CH-1", T0, "{\"n\":0}"));
        commit(record("CH-1", T0.plusSeconds(60), "{\"n\":1}"));

        assertThat(storage.telemetry().latest("CH-1")).get()
                .satisfies(r -> assertThat(r.dataJson()).isEqualTo("{\"n\":2}"));
        assertThat(storage.telemetry().latest("CH-10")).isEmpty();
    }

    @Test
    void recordsNoBucketCanHold_areLeftOutAndReported_andTheRestCommit() {
        List<TelemetryRecord> batch = List.of(
                record("CH-1", T0, "{\"n\":1}"),
                record("QB1", Instant.parse("-999999999-01-01T00:00:00Z"), null),
                record("QB2", Instant.parse("-0001-01-01T00:00:00Z"), null),
                record("QB3", Instant.parse("+10000-01-01T00:00:00Z"), null),
                record("CH-2", T0.plusSeconds(1), "{\"n\":2}"));

        List<TelemetryStore.Unstorable> left = storage.telemetry().commit(batch, List.of(letter(1)));

        assertThat(left).extracting(TelemetryStore.Unstorable::index).containsExactly(1, 2, 3);
        assertThat(left).allSatisfy(u -> assertThat(u.detail()).contains("outside the years 0000-9999"));
        assertThat(storage.telemetry().latest("CH-1")).get().satisfies(r -> assertThat(r.dataJson()).isEqualTo("{\"n\":1}"));
        assertThat(storage.telemetry().latest("CH-2")).isPresent();
        assertThat(storage.telemetry().latest("QB1")).isEmpty();
        assertThat(storage.telemetry().lastReceived()).containsOnlyKeys("CH-1", "CH-2");
        assertThat(storage.telemetry().recentDeadLetters(10)).hasSize(1);
    }

    @Test
    void sameChargerAndTimestamp_isOneRecord_lastWriteWins() {
        commit(record("CH-1", T0, "{\"v\":1}"));
        commit(record("CH-1", T0, "{\"v\":2}"), record("CH-1", T0, "{\"v\":3}"));

        Page<TelemetryRecord> page = history("CH-1", T0.minusSeconds(1), T0.plusSeconds(1), 10, false, null);

        assertThat(page.items()).singleElement().satisfies(r -> assertThat(r.dataJson()).isEqualTo("{\"v\":3}"));
    }

    @Test
    void history_pagesAcrossDayBuckets_inBothOrders_withoutGapsOrRepeats() {
        List<TelemetryRecord> all = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            all.add(record("CH-1", T0.plusSeconds(10L * i), null)); // crosses midnight after 6 rows
        }
        commit(all.toArray(TelemetryRecord[]::new));
        commit(record("CH-10", T0.plusSeconds(5), null), record("CH-", T0.plusSeconds(5), null));

        assertThat(readAll(false)).containsExactlyElementsOf(all.stream().map(TelemetryRecord::timestamp).toList());
        List<Instant> newestFirst = new ArrayList<>(all.stream().map(TelemetryRecord::timestamp).toList());
        java.util.Collections.reverse(newestFirst);
        assertThat(readAll(true)).containsExactlyElementsOf(newestFirst);
    }

    @Test
    void count_coversTheRangeAcrossDays_andOnlyThatCharger() {
        for (int i = 0; i < 25; i++) {
            commit(record("CH-1", T0.plusSeconds(10L * i), null));
        }
        commit(record("CH-10", T0, null), record("CH-1", T0, "{\"dup\":true}"));

        assertThat(storage.telemetry().count("CH-1", T0, T0.plusSeconds(250))).isEqualTo(25);
        assertThat(storage.telemetry().count("CH-1", T0.plusSeconds(10), T0.plusSeconds(20))).isEqualTo(1);
        assertThat(storage.telemetry().count("CH-1", T0.plusSeconds(20), T0.plusSeconds(20))).isZero();
        assertThat(storage.telemetry().count("CH-2", T0, T0.plusSeconds(250))).isZero();
    }

    @Test
    void history_rangeIsFromInclusiveToExclusive() {
        commit(record("CH-1", T0, null), record("CH-1", T0.plusSeconds(1), null), record("CH-1", T0.plusSeconds(2), null));

        Page<TelemetryRecord> page = history("CH-1", T0.plusSeconds(1), T0.plusSeconds(2), 10, false, null);

        assertThat(page.items()).extracting(TelemetryRecord::timestamp).containsExactly(T0.plusSeconds(1));
        assertThat(page.nextCursor()).isNull();
    }

    @Test
    void history_withForeignCursor_isClientError() {
        assertThatThrownBy(() -> history("CH-1", T0, T0.plusSeconds(1), 10, false, "not-a-cursor"))
                .isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void records_survive_reopen() {
        commit(record("CH-1", T0, "{\"a\":true}"));

        reopen();

        assertThat(storage.telemetry().latest("CH-1")).get().satisfies(r -> {
            assertThat(r.dataJson()).isEqualTo("{\"a\":true}");
            assertThat(r.receivedAt()).isEqualTo(T0.plusMillis(5));
            assertThat(r.processedAt()).isEqualTo(T0.plusMillis(7));
        });
    }

    @Test
    void expire_dropsWholeDaysOlderThanRetention_onlyOnceTheirLastWriteIsOldToo() {
        Instant old = Instant.parse("2026-01-01T12:00:00Z");
        commit(record("CH-1", old, null), record("CH-1", T0, null));
        Instant now = Instant.now();

        // both days are written just now, so neither has been idle for the retention period
        assertThat(storage.telemetry().expire(now)).isZero();
        assertThat(storage.telemetry().expire(now.plus(Duration.ofDays(91)))).isEqualTo(2);

        assertThat(storage.telemetry().latest("CH-1")).isEmpty();
        assertThat(history("CH-1", old.minusSeconds(1), T0.plusSeconds(1), 10, false, null).items()).isEmpty();
        commit(record("CH-1", T0, null));
        assertThat(storage.telemetry().latest("CH-1")).isPresent();
    }

    @Test
    void deadLetters_areBounded_keepingTheNewest_acrossReopen() {
        for (int i = 0; i < 8; i++) {
            storage.telemetry().commit(List.of(), List.of(letter(i)));
        }
        reopen();
        storage.telemetry().commit(List.of(), List.of(letter(8)));

        List<DeadLetter> recent = storage.telemetry().recentDeadLetters(100);

        assertThat(recent).extracting(DeadLetter::detail).containsExactly("#8", "#7", "#6", "#5", "#4");
        assertThat(recent.get(0).reason()).isEqualTo(RejectReason.MalformedJson);
        assertThat(new String(recent.get(0).payload(), StandardCharsets.UTF_8)).isEqualTo("{bad 8");
    }

    @Test
    void devices_arePersisted_listedInOrder_andPaged() {
        Instant at = Instant.parse("2026-11-01T00:00:00Z");
        for (String id : List.of("CH-3", "CH-1", "CH-2")) {
            storage.devices().put(new Device(id, "serial-" + id, at, at.plus(Duration.ofDays(365)), null));
        }
        storage.devices().put(storage.devices().find("CH-2").orElseThrow().revoked(at.plusSeconds(1)));

        Page<Device> first = storage.devices().list(null, 2);
        Page<Device> second = storage.devices().list(first.nextCursor(), 2);

        assertThat(first.items()).extracting(Device::chargerId).containsExactly("CH-1", "CH-2");
        assertThat(first.items().get(1).revokedAt()).isEqualTo(at.plusSeconds(1));
        assertThat(second.items()).extracting(Device::chargerId).containsExactly("CH-3");
        assertThat(second.nextCursor()).isNull();
    }

    @Test
    void operators_areKeptApartFromDevices_andSurviveReopen() {
        Instant at = Instant.parse("2026-11-01T00:00:00Z");
        storage.operators().put(new Device("night-shift", "abc", at, at.plus(Duration.ofDays(365)), null));

        reopen();

        assertThat(storage.operators().find("night-shift")).get().extracting(Device::certificateSerial).isEqualTo("abc");
        assertThat(storage.devices().find("night-shift")).isEmpty();
        assertThat(storage.devices().list(null, 10).items()).isEmpty();
    }

    private List<Instant> readAll(boolean descending) {
        List<Instant> seen = new ArrayList<>();
        String cursor = null;
        do {
            Page<TelemetryRecord> page = history("CH-1", T0.minusSeconds(3600), T0.plusSeconds(3600), 4, descending, cursor);
            page.items().forEach(r -> seen.add(r.timestamp()));
            cursor = page.nextCursor();
        } while (cursor != null);
        return seen;
    }

    private Page<TelemetryRecord> history(String id, Instant from, Instant to, int limit, boolean desc, String cursor) {
        return storage.telemetry().history(new HistoryQuery(id, from, to, limit, desc, cursor));
    }

    private void commit(TelemetryRecord... records) {
        storage.telemetry().commit(List.of(records), List.of());
    }

    private static TelemetryRecord record(String id, Instant ts, String data) {
        return new TelemetryRecord(id, ts, data, T0.plusMillis(5), T0.plusMillis(7));
    }

    private static DeadLetter letter(int i) {
        return DeadLetter.of(T0.plusSeconds(i), "telemetry/CH-1", "CH-1", RejectReason.MalformedJson, "#" + i,
                ("{bad " + i).getBytes(StandardCharsets.UTF_8));
    }
}
