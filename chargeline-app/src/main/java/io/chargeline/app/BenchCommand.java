package io.chargeline.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.chargeline.store.rocksdb.RocksDbStorage;
import io.chargeline.tools.bench.AlarmBench;
import io.chargeline.tools.bench.ConnectionsBench;
import io.chargeline.tools.bench.IngestBench;
import io.chargeline.tools.bench.LoadSettings;
import io.chargeline.tools.bench.QueryBench;
import io.chargeline.tools.bench.ServerLaunch;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code chargeline bench ...}: the benchmark harness. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks, run side by side with a peer.",
        subcommands = {BenchCommand.Ingest.class, BenchCommand.Connections.class, BenchCommand.Query.class,
                BenchCommand.Alarms.class})
final class BenchCommand {

    @Command(name = "ingest", mixinStandardHelpOptions = true,
            description = "Sustained QoS 1 ingest over mutual TLS: acked msgs/s, PUBACK latency, server CPU/RSS; "
                    + "verifies every acknowledged message is stored. --peer mosquitto runs the same load against Mosquitto.")
    static final class Ingest implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--devices", defaultValue = "1000", description = "Connections (chargers). Default: ${DEFAULT-VALUE}")
        int devices;

        @Option(names = "--duration", defaultValue = "60s",
                description = "Measured time, e.g. 60s, 2m or PT2M. Default: ${DEFAULT-VALUE}")
        Duration duration;

        @Option(names = "--warmup", defaultValue = "5s", description = "Unmeasured time first. Default: ${DEFAULT-VALUE}")
        Duration warmup;

        @Option(names = "--qos", defaultValue = "1", description = "0 or 1. Default: ${DEFAULT-VALUE}")
        int qos;

        @Option(names = "--inflight", defaultValue = "16", description = "Outstanding publishes per device. Default: ${DEFAULT-VALUE}")
        int inflight;

        @Option(names = "--payload-bytes", defaultValue = "200", description = "Payload size. Default: ${DEFAULT-VALUE}")
        int payloadBytes;

        @Option(names = "--rate", defaultValue = "0", description = "Total msgs/s to send (open loop, for latency at a given "
                + "load); 0 = as fast as acknowledged. Default: ${DEFAULT-VALUE}")
        int rate;

        @Mixin
        ServerOptions server;

        @Override
        public Integer call() throws Exception {
            PrintWriter console = spec.commandLine().getOut();
            LoadSettings load = new LoadSettings(devices, duration, warmup, qos, inflight, payloadBytes, rate);
            Path work = server.workDir("ingest");
            IngestBench.Settings settings = new IngestBench.Settings(load, server.peer, work, server.launch());
            IngestBench.Outcome outcome = new IngestBench(settings, line -> {
                console.println(line);
                console.flush();
            }).run();
            console.print(IngestBench.table(outcome, load));
            writeResult(work, IngestBench.summary(outcome, load), console);
            for (Path png : IngestBench.plot(outcome, work)) {
                console.println("plot: " + png);
            }
            return outcome.verification().lostNothing() ? 0 : 2;
        }
    }

    @Command(name = "connections", mixinStandardHelpOptions = true,
            description = "Open and hold many mTLS connections: connect rate and server memory per 1,000 connections.")
    static final class Connections implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--devices", defaultValue = "20000", description = "Connections. Default: ${DEFAULT-VALUE}")
        int devices;

        @Option(names = "--concurrency", defaultValue = "200", description = "Handshakes in progress at once. Default: ${DEFAULT-VALUE}")
        int concurrency;

        @Option(names = "--hold", defaultValue = "10s", description = "How long to hold them before measuring. Default: ${DEFAULT-VALUE}")
        Duration hold;

        @Mixin
        ServerOptions server;

        @Override
        public Integer call() throws Exception {
            PrintWriter console = spec.commandLine().getOut();
            Path work = server.workDir("connections");
            ConnectionsBench.Settings settings = new ConnectionsBench.Settings(devices, concurrency,
                    hold, server.peer, work, server.launch());
            ConnectionsBench.Outcome outcome = new ConnectionsBench(settings, line -> {
                console.println(line);
                console.flush();
            }).run();
            console.print(ConnectionsBench.table(outcome));
            writeResult(work, outcome, console);
            return 0;
        }
    }

    @Command(name = "query", mixinStandardHelpOptions = true,
            description = "HTTP read latency (latest, 1-hour history, aggregates of a charger and of the fleet) while "
                    + "ingest runs at --ingest-rate.")
    static final class Query implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--devices", defaultValue = "1000", description = "Ingesting chargers. Default: ${DEFAULT-VALUE}")
        int devices;

        @Option(names = "--ingest-rate", defaultValue = "15000", description = "Ingest msgs/s meanwhile (about half of the "
                + "measured maximum). Default: ${DEFAULT-VALUE}")
        int ingestRate;

        @Option(names = "--clients", defaultValue = "8", description = "Concurrent HTTP clients. Default: ${DEFAULT-VALUE}")
        int clients;

        @Option(names = "--duration", defaultValue = "30s", description = "Default: ${DEFAULT-VALUE}")
        Duration duration;

        @Option(names = "--warmup", defaultValue = "5s", description = "Ingest before the reads start (the server's JIT "
                + "needs ~40 s to reach steady state). Default: ${DEFAULT-VALUE}")
        Duration warmup;

        @Mixin
        ServerOptions server;

        @Override
        public Integer call() throws Exception {
            PrintWriter console = spec.commandLine().getOut();
            LoadSettings ingest = new LoadSettings(devices, duration, warmup, 1, 16, 200, ingestRate);
            Path work = server.workDir("query");
            QueryBench.Settings settings = new QueryBench.Settings(ingest, clients,
                    new IngestBench.Settings(ingest, null, work, server.launch()));
            QueryBench.Outcome outcome = new QueryBench(settings, line -> {
                console.println(line);
                console.flush();
            }).run();
            console.print(QueryBench.table(outcome, settings));
            java.util.Map<String, Object> result = new java.util.LinkedHashMap<>();
            outcome.latency().forEach((read, l) -> result.put(read.resultKey(), l));
            result.put("requestsPerSecond", outcome.requestsPerSecond());
            result.put("errors", outcome.errors());
            result.put("ingestAckedPerSecond", outcome.ingest().ackedPerSecond());
            writeResult(work, result, console);
            return 0;
        }
    }

    /** Where results go and how the servers under test are started; shared by every benchmark. */
    static final class ServerOptions {
        @Option(names = "--peer", description = "Also run against this broker: mosquitto")
        String peer;

        @Option(names = "--out", defaultValue = "bench-results", description = "Folder for results and logs. Default: ${DEFAULT-VALUE}")
        Path out;

        @Option(names = "--jar", description = "Chargeline runnable jar to start (default: this one)")
        Path jar;

        @Option(names = "--server-heap", defaultValue = "2g", description = "-Xmx of the Chargeline server. Default: ${DEFAULT-VALUE}")
        String serverHeap;

        @Option(names = "--server-jvm-option", description = "Extra JVM option for the Chargeline server, repeatable "
                + "(e.g. -XX:StartFlightRecording=filename=server.jfr to profile it)")
        List<String> serverJvmOptions = new ArrayList<>();

        @Option(names = "--server-cpus", description = "Pin Chargeline and the peer to these CPUs (taskset -c list, "
                + "e.g. 1); run the generator apart with taskset too, e.g. taskset -c 0 ./chargeline bench ...")
        String serverCpus;

        Path workDir(String benchmark) {
            return out.resolve(benchmark + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        }

        ServerLaunch launch() throws Exception {
            List<String> options = new ArrayList<>(List.of("-Xmx" + serverHeap));
            options.addAll(serverJvmOptions);
            return new ServerLaunch(jar(), options, serverCpus);
        }

        Path jar() throws Exception {
            if (jar != null) {
                return jar;
            }
            Path self = Path.of(BenchCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (!Files.isRegularFile(self)) {
                throw new IllegalArgumentException("not running from the runnable jar; pass --jar chargeline-app/target/chargeline.jar");
            }
            return self;
        }
    }

    @Command(name = "alarms", mixinStandardHelpOptions = true,
            description = "Silence detection at fleet scale: how late SILENT alarms are raised, and their CPU cost.")
    static final class Alarms implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--chargers", defaultValue = "100000", description = "Tracked chargers. Default: ${DEFAULT-VALUE}")
        int chargers;

        @Option(names = "--spread", defaultValue = "60s", description = "Deadlines fall evenly over this. Default: ${DEFAULT-VALUE}")
        Duration spread;

        @Option(names = "--work-dir", description = "Where the store and results go. Default: bench-results/alarms-<time>")
        Path workDir;

        @Override
        public Integer call() throws Exception {
            PrintWriter console = spec.commandLine().getOut();
            Path work = workDir != null ? workDir : Path.of("bench-results",
                    "alarms-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
            Files.createDirectories(work);
            AlarmBench.Settings settings = new AlarmBench.Settings(chargers, spread,
                    Duration.ofMinutes(5));
            AlarmBench.Outcome outcome;
            try (RocksDbStorage storage = RocksDbStorage.open(work.resolve("store"), Duration.ofDays(1), 1000)) {
                outcome = new AlarmBench(settings, line -> {
                    console.println(line);
                    console.flush();
                }).run(storage.alarms());
            }
            console.print(AlarmBench.table(outcome, settings));
            writeResult(work, outcome, console);
            return outcome.raised() == chargers ? 0 : 2;
        }
    }

    static void writeResult(Path work, Object result, PrintWriter console) throws java.io.IOException {
        Path json = work.resolve("result.json");
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), result);
        console.println("results: " + json);
        console.flush();
    }
}
