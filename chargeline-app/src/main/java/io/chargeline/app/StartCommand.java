package io.chargeline.app;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code chargeline start}: runs the platform until SIGTERM/SIGINT. */
@Command(name = "start", mixinStandardHelpOptions = true,
        description = "Run the platform: mTLS MQTT gateway, store and HTTP API. Every flag has a CHARGELINE_* variable.")
final class StartCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data-dir", defaultValue = "${env:CHARGELINE_DATA_DIR:-./data}",
            description = "Data directory (keys, store, artifacts). Default: ${DEFAULT-VALUE}")
    Path dataDir;

    @Option(names = "--bind", defaultValue = "${env:CHARGELINE_BIND:-127.0.0.1}",
            description = "Address to listen on. Default: ${DEFAULT-VALUE}")
    String bind;

    @Option(names = "--mqtt-port", defaultValue = "${env:CHARGELINE_MQTT_PORT:-8883}",
            description = "MQTT over mutual TLS. Default: ${DEFAULT-VALUE}")
    int mqttPort;

    @Option(names = "--http-port", defaultValue = "${env:CHARGELINE_HTTP_PORT:-8080}",
            description = "HTTP API. Default: ${DEFAULT-VALUE}")
    int httpPort;

    @Option(names = "--device-http-port", defaultValue = "${env:CHARGELINE_DEVICE_HTTP_PORT:-8443}",
            description = "HTTPS for chargers (mutual TLS): update artifact downloads. Default: ${DEFAULT-VALUE}")
    int deviceHttpPort;

    @Option(names = "--max-artifact-size", defaultValue = "${env:CHARGELINE_MAX_ARTIFACT_SIZE:-512MiB}",
            description = "Largest update artifact that may be uploaded (bytes, or with KiB, MiB, GiB). "
                    + "Default: ${DEFAULT-VALUE}")
    String maxArtifactSize;

    @Option(names = "--hostname", split = ",", defaultValue = "${env:CHARGELINE_HOSTNAME:-}",
            description = "Extra DNS names or IPs for the server certificate (repeatable or comma-separated)")
    List<String> hostnames;

    @Option(names = "--retention", defaultValue = "${env:CHARGELINE_RETENTION:-P90D}",
            description = "How long telemetry, finished commands and finished jobs are kept, at least 1d (90d, or "
                    + "ISO-8601 such as P90D). Default: ${DEFAULT-VALUE}")
    Duration retention;

    @Option(names = "--silence-threshold", defaultValue = "${env:CHARGELINE_SILENCE_THRESHOLD:-PT5M}",
            description = "Raise a SILENT alarm when a charger sends no telemetry for this long (5m, or ISO-8601 "
                    + "such as PT5M; chargers can override it). Default: ${DEFAULT-VALUE}")
    Duration silenceThreshold;

    @Option(names = "--webhook-allow", split = ",", defaultValue = "${env:CHARGELINE_WEBHOOK_ALLOW:-}",
            description = "Address ranges (CIDR, IPv4 or IPv6) webhooks may reach although they are private, loopback, "
                    + "link-local or this server's own, for on-premise receivers, e.g. 10.20.0.0/16,fd00:1234::/32")
    List<String> webhookAllow;

    @Override
    public Integer call() throws InterruptedException {
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        PrintWriter out = spec.commandLine().getOut();
        PlatformConfig config = new PlatformConfig(dataDir, bind, mqttPort, httpPort, deviceHttpPort,
                hostnames.stream().filter(h -> !h.isBlank()).toList(), retention, silenceThreshold,
                ByteSizes.parse(maxArtifactSize, "--max-artifact-size"),
                System.getenv("CHARGELINE_ADMIN_API_KEY"), PlatformConfig.parseWebhookAllow(webhookAllow));
        Platform platform = Platform.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            platform.close();
            stopped.countDown();
        }, "chargeline-shutdown"));
        printWelcome(out, config, platform);
        stopped.await();
        return 0;
    }

    private static void printWelcome(PrintWriter out, PlatformConfig config, Platform platform) {
        String host = config.bindAddress().equals("0.0.0.0") ? "127.0.0.1" : config.bindAddress();
        out.printf("%nChargeline is running.%n");
        out.printf("  MQTT (mutual TLS)  mqtts://%s:%d   CA certificate: %s%n", host, platform.mqttPort(),
                platform.caCertificate());
        out.printf("                     MQTT 3.1/3.1.1/5; %s%n", platform.mqttEngine());
        out.printf("  HTTP API           http://%s:%d   (GET /health needs no key)%n", host, platform.httpPort());
        out.printf("  Device HTTPS       https://%s:%d  (mutual TLS; update downloads)%n", host, platform.deviceHttpPort());
        if (platform.adminKeyCreated()) {
            out.printf("  Admin API key      %s%n", platform.adminApiKey());
            out.printf("                     shown once; kept in %s (mode 0600)%n",
                    config.dataDir().resolve(AdminKey.FILE));
        } else {
            out.printf("  Admin API key      %s%n", config.adminApiKey() != null
                    ? "from CHARGELINE_ADMIN_API_KEY" : "in " + config.dataDir().resolve(AdminKey.FILE));
        }
        out.printf("%nProvision a charger and publish (see docs/publishing-telemetry.md):%n");
        out.printf("  ./chargeline device create CH-1 --out ./CH-1 --data-dir %s --server http://%s:%d%n",
                config.dataDir(), host, platform.httpPort());
        out.printf("  mosquitto_pub -h localhost -p %d --cafile ./CH-1/ca.crt --cert ./CH-1/CH-1.crt --key ./CH-1/CH-1.key \\%n"
                + "    -i CH-1 -q 1 -t telemetry/CH-1 -m '{\"chargerId\":\"CH-1\",\"timestamp\":\"<now, ISO-8601>\",\"data\":{}}'%n",
                platform.mqttPort());
        out.printf("%nStop with Ctrl-C or SIGTERM (accepted messages are committed first).%n");
        out.flush();
    }
}
