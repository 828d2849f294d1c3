package io.chargeline.app;

import ch.qos.logback.classic.Level;
import io.chargeline.core.device.DeviceService;
import io.chargeline.tools.bench.ApiClient;
import io.chargeline.tools.bench.Fleet;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code chargeline demo}: the platform with embedded defaults in a temporary data dir, plus 50 simulated chargers. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start Chargeline in a temporary data directory and simulate a fleet against it: the 30-second "
                + "look. The directory is removed on exit unless --keep.")
final class DemoCommand implements Callable<Integer> {
    /** Short, so the demo's silent chargers show their alarms within a minute. */
    private static final Duration DEMO_SILENCE_THRESHOLD = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(DemoCommand.class);

    @Spec
    CommandSpec spec;

    @Mixin
    SimulateCommand.FleetOptions fleet;

    @Option(names = "--mqtt-port", defaultValue = "0", description = "0 picks a free port. Default: ${DEFAULT-VALUE}")
    int mqttPort;

    @Option(names = "--http-port", defaultValue = "8080", description = "Default: ${DEFAULT-VALUE}")
    int httpPort;

    @Option(names = "--keep", description = "Keep the temporary data directory after the demo (its path is printed)")
    boolean keep;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        fleet.settings("127.0.0.1", 0); // refuses bad fleet flags before anything is created or started
        DemoDataDir data = DemoDataDir.create(keep);
        if (fleet.fleetDir.toString().equals("sim-fleet")) {
            fleet.fleetDir = data.path().resolve("sim-fleet"); // a new CA each demo: certificates cannot be reused
        }
        if (fleet.interval.equals(Duration.ofSeconds(10))) {
            fleet.interval = Duration.ofSeconds(5);
        }
        if (fleet.silentFraction == 0) {
            fleet.silentFraction = 0.1; // a few chargers fall silent, so the demo shows alarms
        }
        Platform platform;
        try {
            platform = Platform.start(new PlatformConfig(data.path(), "127.0.0.1", mqttPort, httpPort, 0, List.of(),
                    Duration.ofDays(90), DEMO_SILENCE_THRESHOLD, PlatformConfig.DEFAULT_MAX_ARTIFACT_BYTES, null, List.of()));
        } catch (RuntimeException e) {
            data.leave();
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            platform.close();
            out.printf("%n%s%n", data.leave());
            out.flush();
        }, "demo-stop"));
        String key = platform.adminApiKey();
        Fleet chargers = provisionQuietly(new ApiClient(SimulateCommand.uri("127.0.0.1", platform.httpPort()), key));
        printBanner(out, data, platform, key);
        return SimulateCommand.run(chargers, fleet.settings("127.0.0.1", platform.mqttPort()), out, progress(out));
    }

    /** One summary line instead of one per charger, so the banner after it is what the user sees last. */
    private Fleet provisionQuietly(ApiClient api) throws Exception {
        ch.qos.logback.classic.Logger devices =
                (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(DeviceService.class);
        Level before = devices.getLevel();
        devices.setLevel(Level.WARN);
        try {
            Fleet provisioned = SimulateCommand.provision(api, fleet);
            LOG.info("demo: {} simulated chargers provisioned ({}...), certificates in {}",
                    provisioned.devices().size(), fleet.prefix, fleet.fleetDir);
            return provisioned;
        } finally {
            devices.setLevel(before); // chargers provisioned during the demo are logged as usual
        }
    }

    private void printBanner(PrintWriter out, DemoDataDir data, Platform platform, String key) {
        String http = "http://127.0.0.1:" + platform.httpPort();
        out.printf("%nChargeline demo (data in %s, %s)%n", data.path(),
                data.kept() ? "kept after exit" : "removed on exit; --keep keeps it");
        out.printf("  HTTP API       %s   admin key: %s%n", http, key);
        out.printf("  MQTT (mTLS)    mqtts://127.0.0.1:%d   device HTTPS (mTLS): https://127.0.0.1:%d%n", platform.mqttPort(),
                platform.deviceHttpPort());
        out.printf("  try:           curl -H 'Authorization: Bearer %s' %s/telemetry/%s00000%n", key, http, fleet.prefix);
        out.printf("                 curl -H 'Authorization: Bearer %s' %s/metrics | grep chargeline_events%n", key, http);
        out.printf("  alarms:        %.0f%% of the chargers fall silent; after %ds without telemetry they are alarmed%n",
                fleet.silentFraction * 100, DEMO_SILENCE_THRESHOLD.toSeconds());
        out.printf("                 curl -H 'Authorization: Bearer %s' '%s/api/v1/alarms?state=active'%n", key, http);
        out.printf("                 curl -H 'Authorization: Bearer %s' '%s/api/v1/chargers?status=silent'%n", key, http);
        out.printf("  commands:      curl -X POST -H 'Authorization: Bearer %s' -d '{\"name\":\"get-diagnostics\"}' "
                + "'%s/api/v1/chargers/%s%05d/commands?wait=PT10S'%n%n", key, http, fleet.prefix, fleet.chargers - 1);
        out.flush();
    }

    /** On a terminal the progress line is rewritten in place, so it never scrolls the banner away. */
    private static Consumer<String> progress(PrintWriter out) {
        if (System.console() == null) {
            return line -> {
                out.println(line);
                out.flush();
            };
        }
        return line -> {
            out.print("\r" + line + "\u001b[K"); // erase what a longer previous line left behind
            out.flush();
        };
    }
}
