package io.chargeline.metrics;

import io.chargeline.core.alarm.AlarmMetrics;
import io.chargeline.core.alarm.AlarmType;
import io.chargeline.core.command.CommandInbox;
import io.chargeline.core.command.CommandMetrics;
import io.chargeline.core.command.CommandStatus;
import io.chargeline.core.device.GatewayMetrics;
import io.chargeline.core.device.GatewayMetrics.ConnectRefusal;
import io.chargeline.core.device.GatewayMetrics.DropReason;
import io.chargeline.core.device.GatewayMetrics.TopicAction;
import io.chargeline.core.telemetry.IngestMetrics;
import io.chargeline.core.telemetry.QueryMetrics;
import io.chargeline.core.telemetry.QueryMetrics.QueryKind;
import io.chargeline.core.telemetry.RejectReason;
import io.chargeline.core.webhook.WebhookMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * All platform metrics in one Prometheus registry. Counters are created up front (every reject reason is
 * present from the start at 0), so dashboards and alerts never see a series appear out of nowhere.
 */
public final class PrometheusMetrics implements IngestMetrics, GatewayMetrics, QueryMetrics, AlarmMetrics,
        WebhookMetrics, CommandMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Counter received;
    private final Counter validated;
    private final Counter stored;
    private final Counter overloaded;
    private final Counter commitFailures;
    private final Map<RejectReason, Counter> rejected = new EnumMap<>(RejectReason.class);
    private final Timer batchLatency;
    private final DistributionSummary batchSize;
    private final Timer pubackLatency;
    private final Map<ConnectRefusal, Counter> connectRefused = new EnumMap<>(ConnectRefusal.class);
    private final Map<TopicAction, Counter> topicRefused = new EnumMap<>(TopicAction.class);
    private final Map<DropReason, Counter> connectionsDropped = new EnumMap<>(DropReason.class);
    private final Map<QueryKind, Timer> queries = new EnumMap<>(QueryKind.class);
    private final Map<AlarmType, Counter> alarmsRaised = new EnumMap<>(AlarmType.class);
    private final Map<AlarmType, Counter> alarmsCleared = new EnumMap<>(AlarmType.class);
    private final Map<AlarmType, Timer> alarmLateness = new EnumMap<>(AlarmType.class);
    private final Counter webhooksDelivered;
    private final Counter webhookAttemptsFailed;
    private final Counter webhooksDeadLettered;
    private final Counter webhooksRefused;
    private final Map<CommandStatus, Counter> commandsEntered = new EnumMap<>(CommandStatus.class);
    private final Timer commandDelivery;
    private final Map<CommandInbox.Reply.Outcome, Counter> repliesRefused = new EnumMap<>(CommandInbox.Reply.Outcome.class);

    public PrometheusMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        received = Counter.builder("chargeline_events_received").description("telemetry messages received").register(registry);
        validated = Counter.builder("chargeline_events_validated").description("telemetry messages that passed validation").register(registry);
        stored = Counter.builder("chargeline_events_stored").description("telemetry records durably stored").register(registry);
        overloaded = Counter.builder("chargeline_events_overloaded").description("messages refused because the ingest queue stayed full").register(registry);
        commitFailures = Counter.builder("chargeline_store_commit_failures").description("messages whose commit failed (not acknowledged)").register(registry);
        for (RejectReason reason : RejectReason.values()) {
            rejected.put(reason, Counter.builder("chargeline_events_rejected").tag("reason", reason.name())
                    .description("telemetry messages refused, by reason").register(registry));
        }
        batchLatency = Timer.builder("chargeline_ingest_batch_latency").description("group commit duration (synced WAL)")
                .publishPercentileHistogram().register(registry);
        batchSize = DistributionSummary.builder("chargeline_ingest_batch_size").description("messages per group commit")
                .register(registry);
        for (AlarmType type : AlarmType.values()) {
            alarmsRaised.put(type, Counter.builder("chargeline_alarms_raised").tag("type", type.name())
                    .description("alarms raised, by type").register(registry));
            alarmsCleared.put(type, Counter.builder("chargeline_alarms_cleared").tag("type", type.name())
                    .description("alarms cleared, by type").register(registry));
            alarmLateness.put(type, Timer.builder("chargeline_alarm_lateness").tag("type", type.name())
                    .description("time from an alarm's deadline to its raising").publishPercentileHistogram()
                    .register(registry));
        }
        webhooksDelivered = Counter.builder("chargeline_webhook_deliveries").tag("outcome", "delivered")
                .description("webhook deliveries, by outcome").register(registry);
        webhooksDeadLettered = Counter.builder("chargeline_webhook_deliveries").tag("outcome", "failed")
                .description("webhook deliveries, by outcome").register(registry);
        webhooksRefused = Counter.builder("chargeline_webhook_deliveries").tag("outcome", "refused")
                .description("webhook deliveries, by outcome").register(registry);
        webhookAttemptsFailed = Counter.builder("chargeline_webhook_attempt_failures")
                .description("webhook attempts that got no 2xx answer (retried)").register(registry);
        for (CommandStatus status : CommandStatus.values()) {
            commandsEntered.put(status, Counter.builder("chargeline_commands").tag("status", status.name())
                    .description("commands that entered each status").register(registry));
        }
        for (CommandInbox.Reply.Outcome reason : CommandInbox.Reply.Outcome.values()) {
            if (reason != CommandInbox.Reply.Outcome.ACCEPTED) {
                repliesRefused.put(reason, Counter.builder("chargeline_command_replies_refused")
                        .tag("reason", label(reason))
                        .description("command replies refused, by reason").register(registry));
            }
        }
        commandDelivery = Timer.builder("chargeline_command_delivery")
                .description("command issued to the charger's PUBACK").publishPercentileHistogram().register(registry);
        for (ConnectRefusal reason : ConnectRefusal.values()) {
            connectRefused.put(reason, Counter.builder("chargeline_connect_refused").tag("reason", label(reason))
                    .description("MQTT CONNECTs refused, by reason").register(registry));
        }
        for (TopicAction action : TopicAction.values()) {
            topicRefused.put(action, Counter.builder("chargeline_topic_refused").tag("action", label(action))
                    .description("PUBLISH/SUBSCRIBE refused by topic rules").register(registry));
        }
        for (DropReason reason : DropReason.values()) {
            connectionsDropped.put(reason, Counter.builder("chargeline_connections_dropped")
                    .tag("reason", label(reason))
                    .description("connections closed by the server, by reason").register(registry));
        }
        for (QueryKind kind : QueryKind.values()) {
            queries.put(kind, Timer.builder("chargeline_query_duration").tag("kind", label(kind))
                    .description("store read time of HTTP queries").publishPercentileHistogram().register(registry));
        }
        pubackLatency = Timer.builder("chargeline_puback_latency").description("telemetry PUBLISH received to acknowledgement released")
                .publishPercentileHistogram().register(registry);
    }

    /** A reason or kind as a Prometheus label value: its name in lower case. */
    private static String label(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    /** Registers a gauge read at scrape time. */
    public void gauge(String name, String description, Supplier<Number> value) {
        Gauge.builder(name, value).description(description).register(registry);
    }

    /** Registers a gauge with one tag, read at scrape time. */
    public void gauge(String name, String description, String tag, String tagValue, Supplier<Number> value) {
        Gauge.builder(name, value).description(description).tag(tag, tagValue).register(registry);
    }

    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void received() {
        received.increment();
    }

    @Override
    public void validated() {
        validated.increment();
    }

    @Override
    public void rejected(RejectReason reason) {
        rejected.get(reason).increment();
    }

    @Override
    public void stored(int records) {
        stored.increment(records);
    }

    @Override
    public void batchCommitted(int size, Duration latency) {
        batchLatency.record(latency);
        batchSize.record(size);
    }

    @Override
    public void commitFailed(int size) {
        commitFailures.increment(size);
    }

    @Override
    public void overloaded() {
        overloaded.increment();
    }

    @Override
    public void connectRefused(ConnectRefusal reason) {
        connectRefused.get(reason).increment();
    }

    @Override
    public void topicRefused(TopicAction action) {
        topicRefused.get(action).increment();
    }

    @Override
    public void connectionDropped(DropReason reason) {
        connectionsDropped.get(reason).increment();
    }

    @Override
    public void pubackLatency(Duration latency) {
        pubackLatency.record(latency);
    }

    @Override
    public void raised(AlarmType type, Duration lateness) {
        alarmsRaised.get(type).increment();
        if (lateness != null) {
            alarmLateness.get(type).record(lateness.isNegative() ? Duration.ZERO : lateness);
        }
    }

    @Override
    public void cleared(AlarmType type) {
        alarmsCleared.get(type).increment();
    }

    @Override
    public void delivered() {
        webhooksDelivered.increment();
    }

    @Override
    public void attemptFailed() {
        webhookAttemptsFailed.increment();
    }

    @Override
    public void deadLettered() {
        webhooksDeadLettered.increment();
    }

    @Override
    public void refused() {
        webhooksRefused.increment();
    }

    @Override
    public void queryDuration(QueryKind kind, Duration duration) {
        queries.get(kind).record(duration);
    }

    @Override
    public void entered(CommandStatus status) {
        commandsEntered.get(status).increment();
    }

    @Override
    public void delivered(Duration latency) {
        commandDelivery.record(latency);
    }

    @Override
    public void replyRefused(CommandInbox.Reply.Outcome reason) {
        repliesRefused.get(reason).increment();
    }
}
