package io.chargeline.tools.bench;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * {@code bench query}: HTTP reads (latest record, one hour of history, aggregates of one charger and of the fleet)
 * from several client threads while an ingest load runs at a fixed rate, against Chargeline (Mosquitto has no
 * query side to compare with).
 */
public final class QueryBench {
    public record Settings(LoadSettings ingest, int clients, IngestBench.Settings paths) {}

    /** The reads, each with its share of the requests (in tenths). */
    public enum Read {
        LATEST("latest (/telemetry/{id})", "latestMillis", 3),
        HISTORY("1-hour history (limit 100)", "historyMillis", 3),
        AGGREGATE("1 h in 5-min buckets", "aggregateMillis", 3),
        FLEET_AGGREGATE("fleet, 24 h in 1-h buckets", "fleetAggregateMillis", 1);

        final String label;
        final String resultKey;
        final int tenths;

        Read(String label, String resultKey, int tenths) {
            this.label = label;
            this.resultKey = resultKey;
            this.tenths = tenths;
        }

        public String label() {
            return label;
        }

        /** Its name in the result file. */
        public String resultKey() {
            return resultKey;
        }
    }

    /** Latency in ms per kind of read, and what ran meanwhile. */
    public record Outcome(java.util.Map<Read, LatencyStats.Snapshot> latency, double requestsPerSecond,
            long errors, java.util.Map<String, Long> errorsByKind, LoadResult ingest) {}

    private final Settings settings;
    private final Consumer<String> progress;

    public QueryBench(Settings settings, Consumer<String> progress) {
        this.settings = settings;
        this.progress = progress;
    }

    public Outcome run() throws Exception {
        Instant base = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        IngestBench.Settings paths = settings.paths();
        return SideBySide.run(paths.workDir(), paths.launch(), null, "query-",
                settings.ingest().devices(), progress, (server, fleet) -> measure((ChargelineServer) server, fleet, base))
                .chargeline();
    }

    private Outcome measure(ChargelineServer server, Fleet fleet, Instant base) throws Exception {
        AtomicReference<LoadResult> ingest = new AtomicReference<>();
        AtomicReference<Exception> ingestFailure = new AtomicReference<>();
        Thread load = new Thread(() -> {
            try {
                // a second apart per charger, as chargers send: the data spreads over minutes, as aggregates meet it
                ingest.set(new IngestLoad(settings.ingest(), fleet, base, Duration.ofSeconds(1), line -> {})
                        .run(server.name(), "127.0.0.1", server.mqttPort(), server.pid()));
            } catch (Exception e) {
                ingestFailure.set(e);
            }
        }, "bench-ingest");
        load.start();
        // reads start once every charger has telemetry (connecting the fleet takes a while), plus the warm-up
        List<DeviceIdentity> devices = fleet.devices().subList(0, settings.ingest().devices());
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        for (DeviceIdentity device : devices) {
            while (server.api().get("/telemetry/" + device.chargerId()) != 200) {
                if (System.nanoTime() > deadline || !load.isAlive()) {
                    throw new IllegalStateException("ingest did not reach " + device.chargerId() + "; see the server log");
                }
                Thread.sleep(100);
            }
        }
        Thread.sleep(settings.ingest().warmup().toMillis());
        java.util.Map<Read, LatencyStats> latency = new java.util.EnumMap<>(Read.class);
        List<Read> draws = new ArrayList<>();
        for (Read read : Read.values()) {
            latency.put(read, new LatencyStats());
            for (int i = 0; i < read.tenths; i++) {
                draws.add(read);
            }
        }
        AtomicLong requests = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        java.util.Map<String, Long> errorsByKind = new java.util.concurrent.ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        String hour = "from=" + enc(base) + "&to=" + enc(base.plus(Duration.ofHours(1)));
        String day = "from=" + enc(base.minus(Duration.ofHours(23))) + "&to=" + enc(base.plus(Duration.ofHours(1)));
        List<Thread> readers = new ArrayList<>();
        for (int c = 0; c < settings.clients(); c++) {
            Thread reader = new Thread(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                while (!stop.get()) {
                    String id = devices.get(random.nextInt(devices.size())).chargerId();
                    Read read = draws.get(random.nextInt(draws.size()));
                    String path = switch (read) {
                        case LATEST -> "/telemetry/" + id;
                        case HISTORY -> "/api/v1/chargers/" + id + "/telemetry?" + hour + "&limit=100";
                        case AGGREGATE -> "/api/v1/chargers/" + id + "/telemetry/aggregate?field=power&interval=PT5M&"
                                + hour;
                        case FLEET_AGGREGATE -> "/api/v1/telemetry/aggregate?chargerIds=all&field=power&interval=PT1H&"
                                + day;
                    };
                    long start = System.nanoTime();
                    try {
                        int status = server.api().get(path);
                        latency.get(read).recordNanos(System.nanoTime() - start);
                        requests.incrementAndGet();
                        if (status != 200) {
                            errors.incrementAndGet();
                            errorsByKind.merge(read.name().toLowerCase(java.util.Locale.ROOT) + " " + status, 1L,
                                    Long::sum);
                        }
                    } catch (java.io.IOException e) {
                        errors.incrementAndGet();
                        errorsByKind.merge(e.getClass().getSimpleName(), 1L, Long::sum);
                    }
                }
            }, "bench-reader-" + c);
            reader.start();
            readers.add(reader);
        }
        long measureStart = System.nanoTime();
        long queryMillis = Math.max(1000, settings.ingest().duration().toMillis() - 4_000);
        Thread.sleep(queryMillis);
        stop.set(true);
        for (Thread reader : readers) {
            reader.join();
        }
        double seconds = (System.nanoTime() - measureStart) / 1e9;
        progress.accept(String.format("queries: %d in %.1f s", requests.get(), seconds));
        load.join();
        if (ingestFailure.get() != null) {
            throw ingestFailure.get();
        }
        java.util.Map<Read, LatencyStats.Snapshot> snapshots = new java.util.EnumMap<>(Read.class);
        latency.forEach((read, stats) -> snapshots.put(read, stats.snapshot()));
        return new Outcome(snapshots, requests.get() / seconds, errors.get(), errorsByKind, ingest.get());
    }

    private static String enc(Instant instant) {
        return URLEncoder.encode(instant.toString(), StandardCharsets.UTF_8);
    }

    public static String table(Outcome o, Settings s) {
        StringBuilder out = new StringBuilder();
        out.append(String.format("%nbench query: %d HTTP clients while ingesting %s over %d devices%n", s.clients(),
                s.ingest().ratePerSecond() == 0 ? "at maximum rate" : s.ingest().ratePerSecond() + " msgs/s",
                s.ingest().devices()));
        out.append(String.format("%-28s %12s %12s %12s%n", "", "p50 ms", "p99 ms", "p99.9 ms"));
        o.latency().forEach((read, l) -> out.append(String.format("%-28s %12.2f %12.2f %12.2f%n", read.label(),
                l.p50(), l.p99(), l.p999())));
        out.append(String.format("%-28s %12.1f%n", "requests/s", o.requestsPerSecond()));
        out.append(String.format("%-28s %12d %s%n", "errors", o.errors(), o.errorsByKind().isEmpty() ? "" : o.errorsByKind()));
        out.append(String.format("%-28s %12.1f%n", "ingest acked msgs/s", o.ingest().ackedPerSecond()));
        return out.toString();
    }
}
