package io.chargeline.tools.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code bench ingest}: the same closed-loop load against Chargeline (ack after durable commit) and,
 * optionally, against Mosquitto (relay, no persistence), with the same certificates, in one run.
 */
public final class IngestBench {
    /** Where and how to run; {@code peer} may be null. */
    public record Settings(LoadSettings load, String peer, Path workDir, ServerLaunch launch) {}

    /** Both runs, and the verification of the Chargeline run. */
    public record Outcome(LoadResult chargeline, ServerMetrics serverMetrics, Verification verification, LoadResult peer) {}

    private final Settings settings;
    private final Consumer<String> progress;

    public IngestBench(Settings settings, Consumer<String> progress) {
        this.settings = settings;
        this.progress = progress;
    }

    /** One server's run; the store-side figures exist only for Chargeline. */
    private record Measured(LoadResult load, ServerMetrics serverMetrics, Verification verification) {}

    public Outcome run() throws Exception {
        Instant base = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        SideBySide.Results<Measured> results = SideBySide.run(settings.workDir(), settings.launch(), settings.peer(),
                "bench-", settings.load().devices(), progress, (server, fleet) -> {
                    IngestLoad ingest = new IngestLoad(settings.load(), fleet, base, progress);
                    if (!(server instanceof ChargelineServer chargeline)) {
                        return new Measured(ingest.run(server.name(), "127.0.0.1", server.mqttPort(), server.pid()),
                                null, null);
                    }
                    String[] scrapes = new String[2];
                    LoadResult load = ingest.run(server.name(), "127.0.0.1", server.mqttPort(), server.pid(),
                            new IngestLoad.Window() {
                                @Override
                                public void opened() throws Exception {
                                    scrapes[0] = chargeline.api().metrics();
                                }

                                @Override
                                public void closed() throws Exception {
                                    scrapes[1] = chargeline.api().metrics();
                                }
                            });
                    ServerMetrics metrics = ServerMetrics.between(scrapes[0], scrapes[1]);
                    progress.accept("verifying through the API that every acknowledged message is stored");
                    Instant end = base.plus(Duration.ofHours(1));
                    Verification verification =
                            Verification.check(load.ackedPerDevice(), id -> chargeline.api().count(id, base, end));
                    return new Measured(load, metrics, verification);
                });
        Measured ours = results.chargeline();
        return new Outcome(ours.load(), ours.serverMetrics(), ours.verification(),
                results.peer() == null ? null : results.peer().load());
    }

    /** The figures as a JSON-ready map (per-device counts left out). */
    public static java.util.Map<String, Object> summary(Outcome o, LoadSettings load) {
        java.util.Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("settings", java.util.Map.of("devices", load.devices(), "durationSeconds", load.duration().toSeconds(),
                "warmupSeconds", load.warmup().toSeconds(), "qos", load.qos(), "inflight", load.inflight(),
                "payloadBytes", load.payloadBytes(), "ratePerSecond", load.ratePerSecond()));
        out.put("chargeline", withoutDevices(o.chargeline()));
        out.put("chargelineServer", o.serverMetrics());
        out.put("verification", java.util.Map.of("acked", o.verification().acked(), "stored", o.verification().stored(),
                "ackedButNotStored", o.verification().missing(), "shortfallByCharger", o.verification().shortfall()));
        if (o.peer() != null) {
            out.put("mosquitto", withoutDevices(o.peer()));
            out.put("ratioAckedPerSecond", o.chargeline().ackedPerSecond() / o.peer().ackedPerSecond());
        }
        out.put("semantics", "Chargeline acks after a synced RocksDB commit; Mosquitto relays with persistence off");
        return out;
    }

    private static java.util.Map<String, Object> withoutDevices(LoadResult r) {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("sent", r.sent());
        m.put("acked", r.acked());
        m.put("failed", r.failed());
        m.put("measuredSeconds", r.measuredSeconds());
        m.put("ackedPerSecond", r.ackedPerSecond());
        m.put("pubackMillis", r.pubackMillis());
        m.put("ackedEachSecond", r.ackedEachSecond());
        m.put("connectSeconds", r.connectSeconds());
        m.put("serverCpuCores", r.serverCpuCores());
        m.put("serverCpuMicrosPerMessage", r.serverCpuMicrosPerMessage());
        m.put("generatorCpuCores", r.generatorCpuCores());
        m.put("serverRssMiB", r.serverRssMiB());
        m.put("serverPeakRssMiB", r.serverPeakRssMiB());
        return m;
    }

    /** Writes throughput.png and latency.png into {@code dir}; returns their paths. */
    public static List<Path> plot(Outcome o, Path dir) throws java.io.IOException {
        java.util.Map<String, List<Long>> throughput = new java.util.LinkedHashMap<>();
        java.util.Map<String, LatencyStats.Snapshot> latency = new java.util.LinkedHashMap<>();
        for (LoadResult r : o.peer() == null ? List.of(o.chargeline()) : List.of(o.chargeline(), o.peer())) {
            throughput.put(r.target(), r.ackedEachSecond());
            latency.put(r.target(), r.pubackMillis());
        }
        Path throughputPng = dir.resolve("throughput.png");
        Path latencyPng = dir.resolve("latency.png");
        Plots.throughput(throughputPng, "bench ingest: acknowledged messages per second", throughput);
        Plots.latency(latencyPng, "bench ingest: publish to PUBACK latency", latency);
        return List.of(throughputPng, latencyPng);
    }

    /** The human-readable table: Chargeline, the peer, and the ratio. */
    public static String table(Outcome o, LoadSettings load) {
        StringBuilder out = new StringBuilder();
        out.append(String.format("%nbench ingest: %d devices, QoS %d, %d in flight per device, %d-byte payloads, %ds measured, %s%n",
                load.devices(), load.qos(), load.inflight(), load.payloadBytes(), load.duration().toSeconds(),
                load.ratePerSecond() == 0 ? "closed loop (max rate)" : "open loop at " + load.ratePerSecond() + " msgs/s"));
        LoadResult c = o.chargeline();
        LoadResult p = o.peer();
        out.append(String.format("%-28s %16s %16s %10s%n", "", "Chargeline", p == null ? "" : "Mosquitto", p == null ? "" : "ratio"));
        row(out, "acked msgs/s", c.ackedPerSecond(), p == null ? null : p.ackedPerSecond(), true);
        row(out, "PUBACK p50 ms", c.pubackMillis().p50(), p == null ? null : p.pubackMillis().p50(), false);
        row(out, "PUBACK p99 ms", c.pubackMillis().p99(), p == null ? null : p.pubackMillis().p99(), false);
        row(out, "PUBACK p99.9 ms", c.pubackMillis().p999(), p == null ? null : p.pubackMillis().p999(), false);
        row(out, "connect all s", c.connectSeconds(), p == null ? null : p.connectSeconds(), false);
        row(out, "server CPU cores", c.serverCpuCores(), p == null ? null : p.serverCpuCores(), false);
        row(out, "server CPU us per msg", c.serverCpuMicrosPerMessage(),
                p == null ? null : p.serverCpuMicrosPerMessage(), true);
        row(out, "generator CPU cores", c.generatorCpuCores(), p == null ? null : p.generatorCpuCores(), false);
        row(out, "server RSS MiB", c.serverRssMiB(), p == null ? null : p.serverRssMiB(), false);
        row(out, "failed publishes", c.failed(), p == null ? null : (double) p.failed(), false);
        out.append(String.format("%-28s %16.1f%n", "Chargeline msgs per commit", o.serverMetrics().meanBatchSize()));
        out.append(String.format("%-28s %16.2f%n", "Chargeline commit ms", o.serverMetrics().meanCommitMillis()));
        out.append(String.format("%-28s %16s%n", "Chargeline held PUBACK p50/p99",
                "<= " + millis(o.serverMetrics().pubackP50Millis()) + " / " + millis(o.serverMetrics().pubackP99Millis())
                        + " ms"));
        out.append(String.format("%-28s %16s%n", "acked but not stored", o.verification().missing()
                + (o.verification().lostNothing() ? " (none)" : " LOST")));
        out.append("Chargeline acknowledges after the record is committed with a synced WAL;");
        out.append(p == null ? "\n" : " Mosquitto relays and acknowledges from memory (persistence off).\n");
        return out.toString();
    }

    private static String millis(double value) {
        return value < 0 ? "n/a" : String.format("%.1f", value);
    }

    private static void row(StringBuilder out, String name, double ours, Double theirs, boolean ratio) {
        if (theirs == null) {
            out.append(String.format("%-28s %16.2f%n", name, ours));
        } else {
            String r = ratio && theirs > 0 ? String.format("%.2fx", ours / theirs) : "";
            out.append(String.format("%-28s %16.2f %16.2f %10s%n", name, ours, theirs, r));
        }
    }
}
