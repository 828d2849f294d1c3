package io.chargeline.tools.bench;

import io.chargeline.core.alarm.AlarmBook;
import io.chargeline.core.alarm.AlarmEvents;
import io.chargeline.core.alarm.AlarmMetrics;
import io.chargeline.core.alarm.AlarmStore;
import io.chargeline.core.alarm.AlarmType;
import io.chargeline.core.alarm.SilenceDetector;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * {@code bench alarms}: the silence detector with the real store, tracking many chargers whose deadlines are
 * spread evenly over a window; measures how late each SILENT alarm is raised (raise time minus deadline), the
 * CPU it costs, and the cost of recording one telemetry arrival (the ingest hot path).
 */
public final class AlarmBench {
    /** How many chargers, and over how long their deadlines fall. */
    public record Settings(int chargers, Duration spread, Duration threshold) {
        public Settings {
            if (chargers < 1) {
                throw new IllegalArgumentException("--chargers must be at least 1");
            }
            if (spread.isNegative() || spread.isZero() || threshold.compareTo(spread) <= 0) {
                throw new IllegalArgumentException("--spread must be positive and shorter than the threshold");
            }
        }
    }

    /** What was measured. Lateness in milliseconds. */
    public record Outcome(int chargers, long raised, LatencyStats.Snapshot latenessMillis, double cpuSeconds,
            double cpuMicrosPerAlarm, double arrivalNanos, double wallSeconds) {}

    private final Settings settings;
    private final Consumer<String> progress;

    public AlarmBench(Settings settings, Consumer<String> progress) {
        this.settings = settings;
        this.progress = progress;
    }

    public Outcome run(AlarmStore store) throws InterruptedException {
        LatencyStats lateness = new LatencyStats();
        AtomicLong raised = new AtomicLong();
        AlarmMetrics metrics = new AlarmMetrics() {
            @Override
            public void raised(AlarmType type, Duration late) {
                raised.incrementAndGet();
                if (late != null) {
                    lateness.recordNanos(late.toNanos());
                }
            }
        };
        Clock clock = Clock.systemUTC();
        AlarmBook book = new AlarmBook(store, clock, AlarmEvents.NONE, metrics);
        try (SilenceDetector detector = new SilenceDetector(book, store, clock, settings.threshold())) {
            detector.start();
            int n = settings.chargers();
            // the first deadline 5 s from now, the rest evenly over the spread
            Instant firstDeadline = clock.instant().plusSeconds(5);
            long spreadNanos = settings.spread().toNanos();
            double arrivalNanos = arrivals(detector, n, firstDeadline, spreadNanos);
            double cpuStart = cpuSeconds();
            long wallStart = System.nanoTime();
            Instant end = firstDeadline.plus(settings.spread()).plusSeconds(30);
            while (raised.get() < n && clock.instant().isBefore(end)) {
                Thread.sleep(1000);
                progress.accept(String.format("alarms raised: %d of %d", raised.get(), n));
            }
            double cpu = cpuSeconds() - cpuStart;
            double wall = (System.nanoTime() - wallStart) / 1e9;
            return new Outcome(n, raised.get(), lateness.snapshot(), cpu, raised.get() == 0 ? 0 : cpu * 1e6 / raised.get(),
                    arrivalNanos, wall);
        }
    }

    /**
     * Records one arrival per charger, back-dated so its deadline falls at its place in the spread, then times
     * a million further arrivals on tracked chargers, each with its original time so deadlines stay put.
     */
    private double arrivals(SilenceDetector detector, int n, Instant firstDeadline, long spreadNanos) {
        String[] ids = new String[n];
        Instant[] seen = new Instant[n];
        for (int i = 0; i < n; i++) {
            ids[i] = "CH-" + i;
            seen[i] = firstDeadline.plusNanos(spreadNanos / n * i).minus(settings.threshold());
            detector.telemetryReceived(ids[i], seen[i]);
        }
        int rounds = 1_000_000;
        long start = System.nanoTime();
        for (int k = 0; k < rounds; k++) {
            int i = k % n;
            detector.telemetryReceived(ids[i], seen[i]);
        }
        return (System.nanoTime() - start) / (double) rounds;
    }

    /** This process's CPU seconds, measured the same way as the servers' in the other benchmarks. */
    private static double cpuSeconds() {
        return ProcessStats.cpuSeconds(ProcessHandle.current().pid());
    }

    public static String table(Outcome o, Settings s) {
        return String.format("%nbench alarms: %d chargers, deadlines spread over %s, threshold %s%n", o.chargers(),
                s.spread(), s.threshold())
                + String.format("%-34s %12d of %d%n", "SILENT alarms raised", o.raised(), o.chargers())
                + String.format("%-34s %12.1f%n", "lateness p50 ms", o.latenessMillis().p50())
                + String.format("%-34s %12.1f%n", "lateness p99 ms", o.latenessMillis().p99())
                + String.format("%-34s %12.1f%n", "lateness max ms", o.latenessMillis().max())
                + String.format("%-34s %12.2f over %.0f s%n", "CPU seconds (whole process)", o.cpuSeconds(), o.wallSeconds())
                + String.format("%-34s %12.1f%n", "CPU µs per alarm (incl. synced write)", o.cpuMicrosPerAlarm())
                + String.format("%-34s %12.0f%n", "ns per telemetry arrival (hot path)", o.arrivalNanos());
    }
}
