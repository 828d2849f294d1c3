package io.chargeline.app;

import io.chargeline.tools.bench.ApiClient;
import io.chargeline.tools.bench.Fleet;
import io.chargeline.tools.simulator.Simulator;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code chargeline simulate}: a fleet of simulated chargers against a running server. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Simulate chargers: provisioned with CSRs (keys stay here), publishing realistic telemetry over mTLS.")
final class SimulateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DeviceCommand.Server server;

    @Mixin
    FleetOptions fleetOptions;

    @Option(names = "--mqtt-host", defaultValue = "127.0.0.1", description = "MQTT host. Default: ${DEFAULT-VALUE}")
    String mqttHost;

    @Option(names = "--mqtt-port", defaultValue = "${env:CHARGELINE_MQTT_PORT:-8883}", description = "Default: ${DEFAULT-VALUE}")
    int mqttPort;

    /** The fleet's shape, shared with {@code demo}. */
    static final class FleetOptions {
        @Option(names = "--chargers", defaultValue = "50", description = "How many chargers. Default: ${DEFAULT-VALUE}")
        int chargers;

        @Option(names = "--interval", defaultValue = "10s", description = "Telemetry interval per charger (10s, or ISO-8601 "
                + "such as PT10S). Default: ${DEFAULT-VALUE}")
        Duration interval;

        @Option(names = "--silent-fraction", defaultValue = "0", description = "Share of chargers that go silent after "
                + "their first message (0-1). Default: ${DEFAULT-VALUE}")
        double silentFraction;

        @Option(names = "--command-failure-rate", defaultValue = "0", description = "Share of commands (and "
                + "updates) the chargers answer with FAILED (0-1). Default: ${DEFAULT-VALUE}")
        double commandFailureRate;

        @Option(names = "--fleet-dir", defaultValue = "sim-fleet", description = "Certificates are kept here and reused. "
                + "Default: ${DEFAULT-VALUE}")
        Path fleetDir;

        @Option(names = "--prefix", defaultValue = "sim-", description = "Charger id prefix. Default: ${DEFAULT-VALUE}")
        String prefix;

        Simulator.Settings settings(String host, int port) {
            return new Simulator.Settings(host, port, interval, interval.dividedBy(10), silentFraction, commandFailureRate);
        }
    }

    @Override
    public Integer call() throws Exception {
        ApiClient api = new ApiClient(server.server, server.apiKey());
        PrintWriter out = spec.commandLine().getOut();
        Simulator.Settings settings = fleetOptions.settings(mqttHost, mqttPort);
        out.printf("provisioning %d chargers (certificates in %s)...%n", fleetOptions.chargers, fleetOptions.fleetDir);
        out.flush();
        Fleet fleet = provision(api, fleetOptions);
        return run(fleet, settings, out, line -> {
            out.println(line);
            out.flush();
        });
    }

    /** Provisions the fleet's chargers with CSRs, or reuses the certificates kept in its folder. */
    static Fleet provision(ApiClient api, FleetOptions options) throws Exception {
        Files.createDirectories(options.fleetDir);
        return Fleet.provision(api, options.prefix, options.chargers, options.fleetDir);
    }

    /** Runs the fleet until Ctrl-C, giving {@code progress} a line every 2 s. */
    static int run(Fleet fleet, Simulator.Settings settings, PrintWriter out, Consumer<String> progress)
            throws Exception {
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        try (Simulator simulator = new Simulator(settings, fleet, Clock.systemUTC())) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                stop.countDown();
                try {
                    closed.await(10, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "simulator-stop"));
            simulator.start();
            out.printf("simulating %d chargers every %s; Ctrl-C stops%n", fleet.devices().size(),
                    DurationConverter.format(settings.interval()));
            out.flush();
            simulator.reportUntil(stop, Duration.ofSeconds(2), progress);
        } finally {
            closed.countDown();
        }
        return 0;
    }

    static URI uri(String host, int port) {
        return URI.create("http://" + host + ":" + port);
    }
}
