package io.chargeline.store.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.chargeline.core.Page;
import io.chargeline.core.telemetry.AggregateBucket;
import io.chargeline.core.telemetry.AggregateQuery;
import io.chargeline.core.telemetry.FieldRollup;
import io.chargeline.core.telemetry.FieldSummary;
import io.chargeline.core.telemetry.HistoryQuery;
import io.chargeline.core.telemetry.InMemoryTelemetryStore;
import io.chargeline.core.telemetry.NumericFields;
import io.chargeline.core.telemetry.RollupPeriod;
import io.chargeline.core.telemetry.TelemetryAggregates;
import io.chargeline.core.telemetry.TelemetryRecord;
import io.chargeline.core.telemetry.TelemetryStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The rollups kept on write equal those worked out from the stored records, whatever order records come in. */
class RollupsTest extends StorageFixture {
    private static final Instant T0 = Instant.parse("2026-03-01T22:58:30Z");
    private static final List<String> FIELDS = List.of("power", "meter.energy", "status", "wide.f260");

    @Test
    void keptRollups_equalTheRecords_afterAppends_lateRecords_resends_overwrites_corrections_deletions_andRestarts() {
        Random random = new Random(11);
        List<String> chargers = List.of("CH-A", "CH-B", "CH-C");
        Instant[] clock = {T0, T0, T0};
        List<TelemetryRecord> written = new ArrayList<>();
        for (int batchNo = 0; batchNo < 400; batchNo++) {
            List<TelemetryRecord> batch = new ArrayList<>();
            int size = 1 + random.nextInt(12);
            for (int i = 0; i < size; i++) {
                int c = random.nextInt(chargers.size());
                TelemetryRecord r = switch (random.nextInt(20)) {
                    case 0, 1 -> written.isEmpty() ? next(random, chargers.get(c), clock, c) // a QoS 1 resend
                            : written.get(random.nextInt(written.size()));
                    case 2, 3 -> written.isEmpty() ? next(random, chargers.get(c), clock, c) // a correction
                            : withData(written.get(random.nextInt(written.size())), data(random));
                    case 4 -> record(chargers.get(c), clock[c].minusMillis(random.nextInt(7_200_000)), data(random));
                    default -> next(random, chargers.get(c), clock, c);
                };
                batch.add(r);
                written.add(r);
            }
            storage.telemetry().commit(batch, List.of());
            if (random.nextInt(10) == 0 && !written.isEmpty()) { // an operator corrects a record
                TelemetryRecord r = written.get(random.nextInt(written.size()));
                String data = data(random);
                storage.telemetry().update(r.chargerId(), r.timestamp(), old -> data, T0);
            }
            if (random.nextInt(15) == 0 && !written.isEmpty()) { // or deletes one, or a range (maybe the newest)
                TelemetryRecord r = written.get(random.nextInt(written.size()));
                Instant to = random.nextBoolean() ? r.timestamp().plusNanos(1)
                        : r.timestamp().plusMillis(random.nextInt(3 * 3_600_000));
                storage.telemetry().delete(r.chargerId(), r.timestamp(), to);
            }
            if (random.nextInt(60) == 0) {
                reopen(); // the kept newest rollups are gone: read back from the store
            }
        }

        TelemetryStore fromRecords = recordsOnly(storage.telemetry());
        Instant from = RollupPeriod.HOUR.startOf(T0.minusSeconds(3 * 3600));
        Instant to = RollupPeriod.HOUR.startOf(T0.plusSeconds(3 * 86_400));
        for (String charger : chargers) {
            for (RollupPeriod period : RollupPeriod.values()) {
                for (String field : FIELDS) {
                    List<FieldRollup> kept = storage.telemetry().rollups(charger, period, from, to, field);
                    List<FieldRollup> expected = withOpenPeriod(charger, period,
                            fromRecords.rollups(charger, period, from, to, field));
                    assertSame(kept, expected, charger + " " + period + " " + field);
                }
            }
        }
        TelemetryAggregates kept = new TelemetryAggregates(storage.telemetry());
        TelemetryAggregates records = new TelemetryAggregates(fromRecords);
        for (int i = 0; i < 200; i++) {
            Duration interval = List.of(Duration.ofSeconds(45), Duration.ofMinutes(5), Duration.ofHours(1),
                    Duration.ofSeconds(5_400), Duration.ofDays(1)).get(random.nextInt(5));
            Instant qFrom = T0.minusSeconds(3_600).plusMillis(random.nextInt(40 * 3_600_000));
            AggregateQuery q = new AggregateQuery(FIELDS.get(random.nextInt(FIELDS.size())), interval, qFrom,
                    qFrom.plusMillis(1 + random.nextInt(2 * 86_400_000)));
            String charger = chargers.get(random.nextInt(chargers.size()));
            List<AggregateBucket> a = kept.charger(charger, q);
            List<AggregateBucket> b = records.charger(charger, q);
            assertThat(a).extracting(AggregateBucket::start).as("buckets of %s", q)
                    .containsExactlyElementsOf(b.stream().map(AggregateBucket::start).toList());
            for (int j = 0; j < a.size(); j++) {
                assertSame(List.of(new FieldRollup(a.get(j).start(), a.get(j).summary(), true)),
                        List.of(new FieldRollup(b.get(j).start(), b.get(j).summary(), true)), q.toString());
            }
        }
    }

    /** What the store reports: the period of the charger's newest record is open, so to be read from the records. */
    private List<FieldRollup> withOpenPeriod(String chargerId, RollupPeriod period, List<FieldRollup> fromRecords) {
        Instant open = period.startOf(storage.telemetry().latest(chargerId).orElseThrow().timestamp());
        List<FieldRollup> out = new ArrayList<>(fromRecords.stream().filter(r -> !r.start().equals(open)).toList());
        out.add(new FieldRollup(open, null, false));
        return out;
    }

    @Test
    void aResendWithTheSameData_changesNoRollup_andADifferentOne_replacesItsValue() {
        TelemetryRecord first = record("CH-1", T0, "{\"power\":10}");
        storage.telemetry().commit(List.of(first, record("CH-1", T0.plusSeconds(10), "{\"power\":20}")), List.of());
        storage.telemetry().commit(List.of(first), List.of());
        assertThat(storage.telemetry().rollups("CH-1", RollupPeriod.MINUTE, RollupPeriod.MINUTE.startOf(T0),
                RollupPeriod.MINUTE.startOf(T0).plusSeconds(60), "power"))
                .as("the minute of the newest record is open: read from the records")
                .containsExactly(new FieldRollup(RollupPeriod.MINUTE.startOf(T0), null, false));

        storage.telemetry().commit(List.of(withData(first, "{\"power\":1}")), List.of());
        storage.telemetry().commit(List.of(record("CH-1", T0.plusSeconds(7_200), "{\"power\":0}")), List.of()); // closes them

        assertThat(minute("CH-1", "power")).satisfies(s -> {
            assertThat(s.count()).isEqualTo(2);
            assertThat(s.sum()).isEqualTo(21);
            assertThat(s.min()).isEqualTo(1);
            assertThat(s.first()).isEqualTo(1);
        });
        List<FieldRollup> hour = storage.telemetry().rollups("CH-1", RollupPeriod.HOUR,
                RollupPeriod.HOUR.startOf(T0), RollupPeriod.HOUR.startOf(T0).plusSeconds(3600), "power");
        assertThat(hour).singleElement().satisfies(h -> assertThat(h.summary().sum()).isEqualTo(21));
    }

    @Test
    void correctingARecord_setsUpdatedAt_keepsItsTimes_andIsNotFoundForNoRecord() {
        TelemetryRecord r = record("CH-1", T0, "{\"power\":10}");
        storage.telemetry().commit(List.of(r), List.of());
        Instant at = T0.plusSeconds(99);

        TelemetryRecord corrected = storage.telemetry().update("CH-1", T0, old -> "{\"power\":11}", at).orElseThrow();

        assertThat(corrected.dataJson()).isEqualTo("{\"power\":11}");
        assertThat(corrected.updatedAt()).isEqualTo(at);
        assertThat(storage.telemetry().latest("CH-1")).contains(corrected);
        assertThat(storage.telemetry().update("CH-1", T0.plusNanos(1), old -> "{}", at)).isEmpty();
        assertThat(storage.telemetry().update("CH-none", T0, old -> "{}", at)).isEmpty();
    }

    @Test
    void deletingTheNewestRecords_movesLatestBack_andDeletingAllLeavesNone() {
        storage.telemetry().commit(List.of(record("CH-1", T0, "{\"n\":1}"), record("CH-1", T0.plusSeconds(86_400), "{\"n\":2}"),
                record("CH-1", T0.plusSeconds(2 * 86_400), "{\"n\":3}")), List.of());

        assertThat(storage.telemetry().delete("CH-1", T0.plusSeconds(1), T0.plusSeconds(3 * 86_400))).isEqualTo(2);
        assertThat(storage.telemetry().latest("CH-1")).get().extracting(TelemetryRecord::dataJson).isEqualTo("{\"n\":1}");
        assertThat(storage.telemetry().lastReceived()).containsEntry("CH-1", T0);
        assertThat(storage.telemetry().delete("CH-1", T0, T0.plusNanos(1))).isEqualTo(1);
        assertThat(storage.telemetry().latest("CH-1")).isEmpty();
        assertThat(storage.telemetry().delete("CH-1", T0.minusSeconds(86_400), T0.plusSeconds(86_400))).isZero();

        storage.telemetry().commit(List.of(record("CH-1", T0.minusSeconds(5), "{\"n\":0}")), List.of());
        assertThat(storage.telemetry().latest("CH-1")).get().extracting(TelemetryRecord::dataJson).isEqualTo("{\"n\":0}");
    }

    @Test
    void historyAndExportScans_neverMeetRollupRows() {
        storage.telemetry().commit(List.of(record("CH-1", T0, "{\"power\":1}"), record("CH-2", T0, "{\"power\":2}")),
                List.of());

        assertThat(storage.telemetry().fleetChunk(T0.minusSeconds(86_400), T0.plusSeconds(86_400), null, 100))
                .extracting(TelemetryRecord::chargerId).containsExactly("CH-1", "CH-2");
        assertThat(storage.telemetry().count("CH-1", T0.minusSeconds(60), T0.plusSeconds(60))).isEqualTo(1);
    }

    @Test
    void aDataDirectoryFromBeforeRollups_getsThemBuiltOnceWhenOpened() throws Exception {
        Random random = new Random(3);
        Instant[] clock = {T0};
        for (int i = 0; i < 50; i++) {
            storage.telemetry().commit(List.of(next(random, "CH-OLD", clock, 0), next(random, "CH-OLD", clock, 0)),
                    List.of());
        }
        storage.close();
        removeRollups(dir); // as an earlier version left it: records only

        storage = RocksDbStorage.open(dir, java.time.Duration.ofDays(90), 5);

        Instant from = RollupPeriod.HOUR.startOf(T0);
        Instant to = from.plusSeconds(30 * 86_400);
        for (RollupPeriod period : RollupPeriod.values()) {
            List<FieldRollup> kept = storage.telemetry().rollups("CH-OLD", period, from, to, "power");
            assertThat(kept).hasSizeGreaterThan(1);
            assertSame(kept, withOpenPeriod("CH-OLD", period,
                    recordsOnly(storage.telemetry()).rollups("CH-OLD", period, from, to, "power")), period.name());
        }
    }

    private static void removeRollups(java.nio.file.Path dir) throws Exception {
        try (org.rocksdb.Options listing = new org.rocksdb.Options()) {
            List<byte[]> names = org.rocksdb.RocksDB.listColumnFamilies(listing, dir.toString());
            List<org.rocksdb.ColumnFamilyDescriptor> descriptors = new ArrayList<>();
            names.forEach(n -> descriptors.add(new org.rocksdb.ColumnFamilyDescriptor(n)));
            List<org.rocksdb.ColumnFamilyHandle> handles = new ArrayList<>();
            try (org.rocksdb.DBOptions options = new org.rocksdb.DBOptions();
                    org.rocksdb.RocksDB db = org.rocksdb.RocksDB.open(options, dir.toString(), descriptors, handles)) {
                for (int i = 0; i < names.size(); i++) {
                    if (TimeBuckets.isBucketName(names.get(i))) {
                        db.deleteRange(handles.get(i), new byte[] {0}, RollupKeys.FIRST_RECORD_KEY);
                    }
                }
                db.delete(handles.get(0), "rollups-kept".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                assertThat(db.get(handles.get(0), "rollups-kept".getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
                        .isNull();
                handles.forEach(org.rocksdb.ColumnFamilyHandle::close);
            }
        }
    }

    private FieldSummary minute(String chargerId, String field) {
        Instant m = RollupPeriod.MINUTE.startOf(T0);
        List<FieldRollup> rows = storage.telemetry().rollups(chargerId, RollupPeriod.MINUTE, m, m.plusSeconds(60), field);
        assertThat(rows).hasSize(1);
        return rows.get(0).summary();
    }

    private static TelemetryRecord next(Random random, String chargerId, Instant[] clock, int c) {
        clock[c] = clock[c].plusMillis(random.nextInt(15) == 0 ? random.nextInt(5_400_000) : 1 + random.nextInt(20_000));
        return record(chargerId, clock[c], data(random));
    }

    private static String data(Random random) {
        StringBuilder d = new StringBuilder("{");
        switch (random.nextInt(8)) {
            case 0 -> d.append("\"power\":\"off\",");
            case 1 -> { }
            default -> d.append("\"power\":").append((random.nextInt(220_000) - 10_000) / 10.0).append(',');
        }
        if (random.nextInt(40) == 0) {
            d.append("\"wide\":{");
            for (int i = 0; i < NumericFields.MAX_FIELDS + 10; i++) {
                d.append(i == 0 ? "" : ",").append("\"f").append(i).append("\":").append(random.nextInt(100));
            }
            d.append("},");
        }
        d.append("\"status\":").append(random.nextBoolean() ? "\"Charging\"" : "3");
        return d.append(",\"meter\":{\"energy\":").append(random.nextInt(1_000_000)).append("}}").toString();
    }

    private static TelemetryRecord record(String chargerId, Instant at, String data) {
        return new TelemetryRecord(chargerId, at, data, at, at);
    }

    private static TelemetryRecord withData(TelemetryRecord r, String data) {
        return new TelemetryRecord(r.chargerId(), r.timestamp(), data, r.receivedAt(), r.processedAt());
    }

    /** The store's records without its kept rollups: rollups() then works them out from the records. */
    private static TelemetryStore recordsOnly(TelemetryStore store) {
        return new InMemoryTelemetryStore() {
            @Override
            public Page<TelemetryRecord> history(HistoryQuery query) {
                return store.history(query);
            }
        };
    }

    private static void assertSame(List<FieldRollup> kept, List<FieldRollup> expected, String what) {
        assertThat(kept).extracting(FieldRollup::start).as("periods of %s", what)
                .containsExactlyElementsOf(expected.stream().map(FieldRollup::start).toList());
        for (int i = 0; i < kept.size(); i++) {
            FieldRollup k = kept.get(i);
            FieldRollup e = expected.get(i);
            String at = what + " at " + k.start();
            assertThat(k.complete()).as("complete %s", at).isEqualTo(e.complete());
            if (!e.complete()) {
                continue;
            }
            FieldSummary a = k.summary();
            FieldSummary b = e.summary();
            assertThat(a.count()).as("count %s", at).isEqualTo(b.count());
            assertThat(a.skipped()).as("skipped %s", at).isEqualTo(b.skipped());
            if (b.count() > 0) {
                assertThat(a.sum()).as("sum %s", at).isCloseTo(b.sum(), within(1e-6 * (1 + Math.abs(b.sum()))));
                assertThat(a.min()).as("min %s", at).isEqualTo(b.min());
                assertThat(a.max()).as("max %s", at).isEqualTo(b.max());
                assertThat(a.firstAt()).as("firstAt %s", at).isEqualTo(b.firstAt());
                assertThat(a.first()).as("first %s", at).isEqualTo(b.first());
                assertThat(a.lastAt()).as("lastAt %s", at).isEqualTo(b.lastAt());
                assertThat(a.last()).as("last %s", at).isEqualTo(b.last());
            }
        }
    }
}
