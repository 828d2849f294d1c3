package io.chargeline.core.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.chargeline.core.InvalidRequestException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class TelemetryAggregatesTest {
    private static final Instant T0 = Instant.parse("2026-11-30T22:17:13.250Z");
    private static final List<Duration> INTERVALS = List.of(Duration.ofSeconds(1), Duration.ofSeconds(7),
            Duration.ofMinutes(1), Duration.ofSeconds(90), Duration.ofMinutes(5), Duration.ofHours(1),
            Duration.ofSeconds(9_000), Duration.ofDays(1));

    private final InMemoryTelemetryStore store = new InMemoryTelemetryStore();
    private final TelemetryAggregates aggregates = new TelemetryAggregates(store);

    @Test
    void bucketsEqualWhatTheRecordsSay_forAnyIntervalAndRange() {
        Random random = new Random(7);
        fill(random, "CH-1", 4_000);
        fill(random, "CH-2", 1_500);
        for (int i = 0; i < 300; i++) {
            Duration interval = INTERVALS.get(random.nextInt(INTERVALS.size()));
            Instant from = T0.minusSeconds(600).plusMillis(random.nextInt(60 * 3_600_000));
            long maxSpan = Math.min(3L * 86_400, interval.getSeconds() * 9_000);
            Instant to = from.plusMillis(1 + (long) (random.nextDouble() * maxSpan * 1000));
            String field = random.nextBoolean() ? "power" : "meter.energy";
            AggregateQuery q = new AggregateQuery(field, interval, from, to);

            assertSame(aggregates.charger("CH-1", q), expected(store.all("CH-1"), q), q);
        }
    }

    @Test
    void aRecordWithTooManyFieldsForARollup_isReadFromTheRecords() {
        StringBuilder wide = new StringBuilder("{\"power\":5");
        for (int i = 0; i < NumericFields.MAX_FIELDS + 10; i++) {
            wide.append(",\"f").append(i).append("\":").append(i);
        }
        store.put(record("CH-1", T0, wide.append('}').toString()));
        store.put(record("CH-1", T0.plusSeconds(30), "{\"power\":7}"));

        AggregateQuery q = new AggregateQuery("f260", Duration.ofHours(1), T0.minusSeconds(7200), T0.plusSeconds(7200));
        List<AggregateBucket> buckets = aggregates.charger("CH-1", q);

        assertThat(buckets).singleElement().satisfies(b -> {
            assertThat(b.summary().count()).isEqualTo(1);
            assertThat(b.summary().sum()).isEqualTo(260);
        });
        assertThat(aggregates.charger("CH-1", new AggregateQuery("power", Duration.ofHours(1), T0.minusSeconds(7200),
                T0.plusSeconds(7200)))).singleElement().satisfies(b -> assertThat(b.summary().sum()).isEqualTo(12));
    }

    @Test
    void nonNumbersAreSkippedAndCounted_objectsAreNotValues_andEmptyBucketsAreLeftOut() {
        Instant hour = Instant.parse("2026-12-01T10:00:00Z");
        store.put(record("CH-1", hour.plusSeconds(1), "{\"power\":\"n/a\"}"));
        store.put(record("CH-1", hour.plusSeconds(2), "{\"power\":[1,2]}"));
        store.put(record("CH-1", hour.plusSeconds(3), "{\"power\":null}"));
        store.put(record("CH-1", hour.plusSeconds(4), "{\"power\":{\"l1\":3}}"));
        store.put(record("CH-1", hour.plusSeconds(7_205), "{\"power\":4.5}"));

        List<AggregateBucket> buckets = aggregates.charger("CH-1",
                new AggregateQuery("power", Duration.ofHours(1), hour, hour.plusSeconds(4 * 3600)));

        assertThat(buckets).hasSize(2);
        assertThat(buckets.get(0).start()).isEqualTo(hour);
        assertThat(buckets.get(0).summary().count()).isZero();
        assertThat(buckets.get(0).summary().skipped()).isEqualTo(3);
        assertThat(buckets.get(1).start()).isEqualTo(hour.plusSeconds(7200));
        assertThat(buckets.get(1).end()).isEqualTo(hour.plusSeconds(3 * 3600));
        assertThat(buckets.get(1).summary().first()).isEqualTo(4.5);
    }

    @Test
    void fleetBuckets_mergeTheChargers_andCountThoseWithAValue() {
        Instant day = Instant.parse("2026-12-01T00:00:00Z");
        store.put(record("CH-1", day.plusSeconds(10), "{\"power\":1}"));
        store.put(record("CH-1", day.plusSeconds(20), "{\"power\":3}"));
        store.put(record("CH-2", day.plusSeconds(30), "{\"power\":10}"));
        store.put(record("CH-3", day.plusSeconds(40), "{\"other\":10}"));
        AggregateQuery q = new AggregateQuery("power", Duration.ofHours(1), day, day.plusSeconds(86_400));

        List<AggregateBucket> all = aggregates.fleet(null, q);
        List<AggregateBucket> some = aggregates.fleet(List.of("CH-2", "CH-3"), q);

        assertThat(all).singleElement().satisfies(b -> {
            assertThat(b.chargers()).isEqualTo(2);
            assertThat(b.summary().count()).isEqualTo(3);
            assertThat(b.summary().sum()).isEqualTo(14);
            assertThat(b.summary().min()).isEqualTo(1);
            assertThat(b.summary().max()).isEqualTo(10);
        });
        assertThat(some).singleElement().satisfies(b -> assertThat(b.chargers()).isEqualTo(1));
    }

    @Test
    void badQueries_sayWhatIsWrong() {
        Instant from = Instant.parse("2026-12-01T00:00:00Z");
        assertThatThrownBy(() -> new AggregateQuery("power", Duration.ofSeconds(1), from, from.plusSeconds(10_001)))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("10001 buckets")
                .hasMessageContaining("at most 10000");
        new AggregateQuery("power", Duration.ofSeconds(1), from, from.plusSeconds(10_000));
        assertThatThrownBy(() -> new AggregateQuery("power", Duration.ofMillis(1500), from, from.plusSeconds(10)))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("whole seconds");
        assertThatThrownBy(() -> new AggregateQuery("power", Duration.ofDays(32), from, from.plusSeconds(10)))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("P31D");
        assertThatThrownBy(() -> new AggregateQuery("power", Duration.ofMinutes(1), from, from))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("from must be before to");
        assertThatThrownBy(() -> new AggregateQuery("meter..energy", Duration.ofMinutes(1), from, from.plusSeconds(1)))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("empty key");
        assertThatThrownBy(() -> new AggregateQuery(null, Duration.ofMinutes(1), from, from.plusSeconds(1)))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("field is required");
        assertThatThrownBy(() -> AggregateFunction.parse("avg,median", AggregateFunction.ACROSS_CHARGERS))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("'median'");
        assertThatThrownBy(() -> AggregateFunction.parse("first", AggregateFunction.ACROSS_CHARGERS))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("'first'");
        assertThatThrownBy(() -> aggregates.fleet(java.util.Collections.nCopies(1001, "CH-1"),
                new AggregateQuery("power", Duration.ofMinutes(1), from, from.plusSeconds(60))))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("at most 1000");
    }

    /** Irregular records: bursts, gaps of hours, a number or text or nothing in power, a nested meter. */
    private void fill(Random random, String chargerId, int n) {
        Instant t = T0.minusSeconds(300);
        for (int i = 0; i < n; i++) {
            t = t.plusMillis(random.nextInt(10) == 0 ? random.nextInt(3 * 3_600_000) : 1 + random.nextInt(40_000));
            String power = switch (random.nextInt(10)) {
                case 0 -> "\"power\":\"off\",";
                case 1 -> "";
                default -> "\"power\":" + (random.nextInt(220_000) - 10_000) / 10.0 + ",";
            };
            store.put(record(chargerId, t, "{" + power + "\"meter\":{\"energy\":" + random.nextInt(1_000_000) + "}}"));
        }
    }

    private static TelemetryRecord record(String chargerId, Instant at, String data) {
        return new TelemetryRecord(chargerId, at, data, at, at);
    }

    /** The buckets worked out record by record, the obvious way. */
    private static Map<Instant, FieldSummary> expected(List<TelemetryRecord> records, AggregateQuery q) {
        Map<Instant, FieldSummary> out = new TreeMap<>();
        for (TelemetryRecord r : records) {
            if (r.timestamp().isBefore(q.from()) || !r.timestamp().isBefore(q.to())) {
                continue;
            }
            NumericFields.walk(r.dataJson(), Integer.MAX_VALUE, new NumericFields.Visitor() {
                @Override
                public void number(String path, double value) {
                    if (path.equals(q.field())) {
                        out.computeIfAbsent(q.bucketStart(r.timestamp()), s -> new FieldSummary()).add(r.timestamp(), value);
                    }
                }

                @Override
                public void other(String path) {
                    if (path.equals(q.field())) {
                        out.computeIfAbsent(q.bucketStart(r.timestamp()), s -> new FieldSummary()).skip();
                    }
                }
            });
        }
        return out;
    }

    static void assertSame(List<AggregateBucket> actual, Map<Instant, FieldSummary> expected, Object context) {
        List<Instant> starts = new ArrayList<>();
        actual.forEach(b -> starts.add(b.start()));
        assertThat(starts).as("bucket starts of %s", context).containsExactlyElementsOf(expected.keySet());
        for (AggregateBucket b : actual) {
            FieldSummary e = expected.get(b.start());
            FieldSummary a = b.summary();
            assertThat(a.count()).as("count %s %s", b.start(), context).isEqualTo(e.count());
            assertThat(a.skipped()).as("skipped %s %s", b.start(), context).isEqualTo(e.skipped());
            if (e.count() > 0) {
                assertThat(a.sum()).as("sum %s %s", b.start(), context).isCloseTo(e.sum(), within(1e-6 * (1 + Math.abs(e.sum()))));
                assertThat(a.min()).isEqualTo(e.min());
                assertThat(a.max()).isEqualTo(e.max());
                assertThat(a.firstAt()).isEqualTo(e.firstAt());
                assertThat(a.first()).isEqualTo(e.first());
                assertThat(a.lastAt()).isEqualTo(e.lastAt());
                assertThat(a.last()).isEqualTo(e.last());
            }
        }
    }
}
