package io.chargeline.app;

import io.chargeline.tools.bench.ApiClient;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code chargeline demo}: the platform with embedded defaults in a temporary data dir, plus 50 simulated chargers. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start Chargeline in a temporary data directory and simulate a fleet against it: the 30-second look.")
final class DemoCommand implements Callable<Integer> {
    /** Short, so the demo's silent chargers show their alarms within a minute. */
    private static final Duration DEMO_SILENCE_THRESHOLD = Duration.ofSeconds(30);

    @Spec
    CommandSpec spec;

    @Mixin
    SimulateCommand.FleetOptions fleet;

    @Option(names = "--mqtt-port", defaultValue = "0", description = "0 picks a free port. Default: ${DEFAULT-VALUE}")
    int mqttPort;

    @Option(names = "--http-port", defaultValue = "8080", description = "Default: ${DEFAULT-VALUE}")
    int httpPort;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path dataDir = Files.createTempDirectory("chargeline-demo-");
        if (fleet.fleetDir.toString().equals("sim-fleet")) {
            fleet.fleetDir = dataDir.resolve("sim-fleet"); // a new CA each demo: certificates cannot be reused
        }
        if (fleet.interval.equals("10s")) {
            fleet.interval = "5s";
        }
        if (fleet.silentFraction == 0) {
            fleet.silentFraction = 0.1; // a few chargers fall silent, so the demo shows alarms
        }
        Platform platform = Platform.start(new PlatformConfig(dataDir, "127.0.0.1", mqttPort, httpPort, 0, List.of(),
                Duration.ofDays(90), DEMO_SILENCE_THRESHOLD, PlatformConfig.DEFAULT_MAX_ARTIFACT_BYTES, null, List.of()));
        Runtime.getRuntime().addShutdownHook(new Thread(platform::close, "demo-platform-stop"));
        String key = platform.adminApiKey();
        String http = "http://127.0.0.1:" + platform.httpPort();
        out.printf("%nChargeline demo (data in %s)%n", dataDir);
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
        return SimulateCommand.run(new ApiClient(SimulateCommand.uri("127.0.0.1", platform.httpPort()), key), fleet,
                "127.0.0.1", platform.mqttPort(), out);
    }
}
