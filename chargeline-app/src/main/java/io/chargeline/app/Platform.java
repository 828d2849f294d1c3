package io.chargeline.app;

import io.chargeline.core.RetentionSweeper;
import io.chargeline.core.alarm.AlarmBook;
import io.chargeline.core.alarm.AlarmType;
import io.chargeline.core.alarm.ChargerDirectory;
import io.chargeline.core.alarm.ClearReason;
import io.chargeline.core.alarm.RuleEvaluator;
import io.chargeline.core.alarm.SilenceDetector;
import io.chargeline.core.artifact.ArtifactService;
import io.chargeline.core.audit.Audit;
import io.chargeline.core.command.CommandService;
import io.chargeline.core.device.DeviceService;
import io.chargeline.core.job.ExecutionStatus;
import io.chargeline.core.job.JobService;
import io.chargeline.core.presence.Presence;
import io.chargeline.core.presence.PresenceListener;
import io.chargeline.core.telemetry.CommitHealth;
import io.chargeline.core.telemetry.ChangeFeed;
import io.chargeline.core.telemetry.IngestPipeline;
import io.chargeline.core.telemetry.PipelineSettings;
import io.chargeline.core.telemetry.TelemetryChange;
import io.chargeline.core.telemetry.TelemetryRecord;
import io.chargeline.core.telemetry.TelemetryValidator;
import io.chargeline.core.webhook.HostResolver;
import io.chargeline.core.webhook.InterfaceAddresses;
import io.chargeline.core.webhook.RetryPolicy;
import io.chargeline.core.webhook.WebhookDispatcher;
import io.chargeline.core.webhook.WebhookRegistry;
import io.chargeline.core.webhook.WebhookTargetPolicy;
import io.chargeline.gateway.mqtt.MqttGateway;
import io.chargeline.gateway.mqtt.MqttGatewaySettings;
import io.chargeline.http.ApiKeys;
import io.chargeline.http.ComponentHealth;
import io.chargeline.http.DeviceApi;
import io.chargeline.http.HttpApi;
import io.chargeline.http.HttpSettings;
import io.chargeline.http.JettyWebhookSender;
import io.chargeline.metrics.PrometheusMetrics;
import io.chargeline.pki.CertificateAuthority;
import io.chargeline.pki.TlsFiles;
import io.chargeline.store.rocksdb.RocksDbStorage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Chargeline: store, ingest pipeline, device gateway and HTTP API, wired by hand. {@link #close}
 * stops in the safe order: no new connections, then drain and commit what was accepted, then close the store.
 */
public final class Platform implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Platform.class);
    private static final int MAX_DEAD_LETTERS = 100_000;

    private final Deque<AutoCloseable> shutdownOrder = new ArrayDeque<>();
    private final PlatformConfig config;
    private final AdminKey.Loaded adminKey;
    private MqttGateway gateway;
    private HttpApi http;
    private DeviceApi deviceApi;

    private Platform(PlatformConfig config, AdminKey.Loaded adminKey) {
        this.config = config;
        this.adminKey = adminKey;
    }

    public static Platform start(PlatformConfig config) {
        FreePorts.require(config);
        Path dataDir = prepareDataDir(config.dataDir());
        Platform platform = new Platform(config, AdminKey.load(dataDir, config.adminApiKey()));
        try {
            platform.startComponents(dataDir);
            return platform;
        } catch (RuntimeException e) {
            platform.close();
            throw e;
        }
    }

    private void startComponents(Path dataDir) {
        Clock clock = Clock.systemUTC();
        LOG.info("starting Chargeline: {}", config);
        if (!config.bindAddress().startsWith("127.") && !config.bindAddress().equals("::1")
                && !config.bindAddress().equals("localhost")) {
            LOG.warn("listening on {}: the MQTT port requires client certificates, but the HTTP API is plain HTTP; "
                    + "keep port {} on a trusted network or behind a TLS proxy", config.bindAddress(), config.httpPort());
        }
        RetiredBrokerState.remove(dataDir);
        Path tlsDir = dataDir.resolve("tls");
        CertificateAuthority ca = CertificateAuthority.loadOrCreate(tlsDir, clock);
        TlsFiles tls = TlsFiles.prepare(tlsDir, ca, config.hostnames(), clock);
        PrometheusMetrics metrics = new PrometheusMetrics();

        RocksDbStorage storage = RocksDbStorage.open(dataDir.resolve("store"), config.retention(), MAX_DEAD_LETTERS);
        shutdownOrder.push(storage);
        // finished commands and jobs are kept as long as telemetry; open ones stay until they finish
        RetentionSweeper sweeper = new RetentionSweeper(clock, Duration.ofHours(1), List.of(
                new RetentionSweeper.Sweep("telemetry day buckets", storage.telemetry()::expire),
                new RetentionSweeper.Sweep("finished commands",
                        now -> storage.commands().deleteFinishedBefore(now.minus(config.retention()))),
                new RetentionSweeper.Sweep("finished update jobs",
                        now -> storage.jobs().deleteSettledBefore(now.minus(config.retention())))));
        shutdownOrder.push(sweeper);
        WebhookTargetPolicy webhookTargets = new WebhookTargetPolicy(config.webhookAllow(), new InterfaceAddresses(),
                HostResolver.SYSTEM);
        LOG.info("webhooks: {}", webhookTargets);
        WebhookRegistry webhooks = new WebhookRegistry(storage.webhooks(), clock, webhookTargets);
        JettyWebhookSender webhookSender = JettyWebhookSender.start(webhookTargets);
        shutdownOrder.push(webhookSender); // stopped after the dispatcher, whose last attempts still use it
        WebhookDispatcher dispatcher = new WebhookDispatcher(webhooks, storage.webhooks(), webhookSender, clock,
                RetryPolicy.DEFAULT, metrics);
        dispatcher.resume();
        dispatcher.start();
        shutdownOrder.push(dispatcher);
        DeviceService devices = new DeviceService(storage.devices(), ca, clock);
        DeviceService operators = DeviceService.forOperators(storage.operators(), ca, clock);
        AlarmBook alarms = new AlarmBook(storage.alarms(), clock, dispatcher, metrics, devices::isRevoked);
        SilenceDetector silence = new SilenceDetector(alarms, storage.alarms(), clock, config.silenceThreshold());
        Map<String, Instant> lastReceived = new HashMap<>(storage.telemetry().lastReceived());
        lastReceived.keySet().removeIf(devices::isRevoked);
        silence.recover(lastReceived);
        silence.start();
        shutdownOrder.push(silence);
        RuleEvaluator rules = new RuleEvaluator(alarms, storage.alarms(), clock);
        rules.start();
        shutdownOrder.push(rules);
        // a revoked charger can never clear an alarm again: stop watching it and clear what it has
        devices.onRevoked(chargerId -> {
            silence.untrack(chargerId);
            rules.untrack(chargerId);
            int cleared = alarms.clearAll(chargerId, clock.instant(), ClearReason.CHARGER_REVOKED);
            LOG.info("{} revoked: no longer watched for silence and value rules; {} active alarms cleared",
                    chargerId, cleared);
        });
        CommandService commands = new CommandService(storage.commands(), devices, clock, metrics);
        commands.start();
        shutdownOrder.push(commands);
        JobService jobs = new JobService(storage.jobs(), devices, commands, clock);
        jobs.start();
        shutdownOrder.push(jobs);
        TelemetryValidator validator = new TelemetryValidator(clock, config.retention());
        ChangeFeed changes = new ChangeFeed();
        changes.subscribe(change -> {
            if (change.kind() != TelemetryChange.Kind.STORED) {
                return; // an operator's correction or deletion is no sign of life, nor a value to raise alarms on
            }
            TelemetryRecord record = change.record();
            if (devices.isRevoked(record.chargerId())) {
                return; // committed after its revocation (it was in flight): not a sign of life
            }
            silence.telemetryReceived(record.chargerId(), record.receivedAt());
            rules.received(record);
            jobs.telemetryReceived(record);
        });
        IngestPipeline pipeline = new IngestPipeline(storage.telemetry(), validator, clock, metrics,
                PipelineSettings.DEFAULTS, changes);
        shutdownOrder.push(pipeline);
        Presence presence = new Presence(storage.presence(), PresenceListener.all(dispatcher, commands));

        MqttGatewaySettings gatewaySettings = new MqttGatewaySettings(config.bindAddress(), config.mqttPort(),
                tls.keyStore(), tls.trustStore(), tls.storePassword(), ca::hasIssued, MqttGatewaySettings.Limits.DEFAULTS);
        gateway = MqttGateway.start(gatewaySettings, pipeline, devices, operators, metrics, presence, commands,
                storage.alarms(), clock);
        shutdownOrder.push(gateway);
        devices.attachSessions(gateway);
        operators.attachSessions(gateway);
        alarms.attach(gateway.alarmTopic());
        commands.attachChannel(gateway.commandChannel());
        metrics.gauge("chargeline_connected_devices", "chargers connected now", gateway::connectedDevices);
        metrics.gauge("chargeline_ingest_queue_depth", "messages waiting for a commit", pipeline::queued);
        for (AlarmType type : AlarmType.values()) {
            metrics.gauge("chargeline_alarms_active", "active alarms, by type", "type", type.name(),
                    () -> alarms.activeCount(type));
        }
        metrics.gauge("chargeline_webhook_pending", "webhook deliveries not yet delivered or failed", dispatcher::pending);
        metrics.gauge("chargeline_silence_tracked_chargers", "chargers with a silence deadline", silence::tracked);
        metrics.gauge("chargeline_commands_open", "commands not yet in a final status", commands::openCount);
        metrics.gauge("chargeline_jobs_running", "update jobs with work left", jobs::runningJobs);
        for (ExecutionStatus status : ExecutionStatus.values()) {
            metrics.gauge("chargeline_job_executions", "executions of running jobs, by status", "status", status.name(),
                    () -> jobs.executions(status));
        }

        Map<String, Supplier<ComponentHealth>> health = new LinkedHashMap<>();
        health.put("store", () -> storeHealth(pipeline.commitHealth()));
        health.put("pipeline", () -> pipelineHealth(pipeline));
        health.put("gateway", () -> ComponentHealth.of(true, Map.of("connectedDevices", gateway.connectedDevices())));
        ArtifactService artifacts = new ArtifactService(storage.artifacts(), dataDir.resolve("artifacts"), clock,
                config.maxArtifactBytes());
        deviceApi = DeviceApi.start(new DeviceApi.Settings(config.bindAddress(), config.deviceHttpPort(), tls.keyStore(),
                tls.trustStore(), tls.storePassword(), publicHost()), devices, artifacts);
        shutdownOrder.push(deviceApi);
        http = HttpApi.start(new HttpSettings(config.bindAddress(), config.httpPort(), HttpSettings.DEFAULT_MAX_REQUEST_BYTES),
                new HttpApi.Services(storage.telemetry(), devices, operators, new ApiKeys(adminKey.key()), health,
                        metrics::scrape, metrics, clock, alarms, silence,
                        new ChargerDirectory(devices, presence, silence, alarms), webhooks, rules, commands, jobs, artifacts,
                        deviceApi::artifactUrl, changes, new Audit(storage.audit(), clock)));
        shutdownOrder.push(http);
    }

    /** Degraded for a while after any failed commit, down while commits keep failing. */
    private static ComponentHealth storeHealth(CommitHealth.Report commits) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("engine", "rocksdb");
        details.put("failedCommits", commits.failedCommits());
        if (commits.lastFailureAt() != null) {
            details.put("lastFailureAt", commits.lastFailureAt().toString());
            details.put("lastError", String.valueOf(commits.lastError()));
        }
        ComponentHealth.Status status = switch (commits.status()) {
            case UP -> ComponentHealth.Status.up;
            case DEGRADED -> ComponentHealth.Status.degraded;
            case DOWN -> ComponentHealth.Status.down;
        };
        return new ComponentHealth(status, details);
    }

    private static ComponentHealth pipelineHealth(IngestPipeline pipeline) {
        int queued = pipeline.queued();
        Map<String, Object> details = Map.of("queued", queued, "capacity", pipeline.capacity());
        if (!pipeline.isRunning()) {
            return new ComponentHealth(ComponentHealth.Status.down, details);
        }
        boolean nearlyFull = queued > pipeline.capacity() * 0.8;
        return new ComponentHealth(nearlyFull ? ComponentHealth.Status.degraded : ComponentHealth.Status.up, details);
    }

    private static Path prepareDataDir(Path dataDir) {
        try {
            if (!Files.exists(dataDir)) {
                Files.createDirectories(dataDir,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            return dataDir.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + dataDir
                    + "; choose a writable one with --data-dir", e);
        }
    }

    public int mqttPort() {
        return gateway.port();
    }

    /** The gateway's transport and TLS implementation (native or the JDK's). */
    public String mqttEngine() {
        return gateway.engine();
    }

    public int httpPort() {
        return http.port();
    }

    public int deviceHttpPort() {
        return deviceApi.port();
    }

    /** The name chargers reach this server by: the first --hostname, else the bind address. */
    private String publicHost() {
        if (!config.hostnames().isEmpty()) {
            return config.hostnames().get(0);
        }
        return config.bindAddress().equals("0.0.0.0") || config.bindAddress().equals("::") ? "localhost"
                : config.bindAddress();
    }

    public String adminApiKey() {
        return adminKey.key();
    }

    /** True when this start generated the admin key (it is then printed once). */
    public boolean adminKeyCreated() {
        return adminKey.created();
    }

    public Path caCertificate() {
        return config.dataDir().resolve("tls").resolve("ca.crt");
    }

    /** Stops accepting, commits what was accepted, closes the store. Safe to call twice. */
    @Override
    public synchronized void close() {
        if (!shutdownOrder.isEmpty()) {
            LOG.info("shutting down: HTTP, then the gateway, then committing what was accepted, then the store");
        }
        while (!shutdownOrder.isEmpty()) {
            AutoCloseable next = shutdownOrder.pop();
            try {
                next.close();
            } catch (Exception e) {
                LOG.warn("shutdown: closing {} failed", next.getClass().getSimpleName(), e);
            }
        }
    }
}
