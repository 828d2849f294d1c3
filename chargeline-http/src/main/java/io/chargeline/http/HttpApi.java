package io.chargeline.http;

import io.chargeline.core.alarm.AlarmBook;
import io.chargeline.core.alarm.ChargerDirectory;
import io.chargeline.core.alarm.RuleEvaluator;
import io.chargeline.core.alarm.SilenceDetector;
import io.chargeline.core.artifact.ArtifactService;
import io.chargeline.core.command.CommandService;
import io.chargeline.core.device.DeviceService;
import io.chargeline.core.job.JobService;
import io.chargeline.core.telemetry.ChangeFeed;
import io.chargeline.core.telemetry.QueryMetrics;
import io.chargeline.core.audit.Audit;
import io.chargeline.core.telemetry.TelemetryAggregates;
import io.chargeline.core.telemetry.TelemetryCorrections;
import io.chargeline.core.telemetry.TelemetryStore;
import io.chargeline.core.webhook.WebhookRegistry;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API. Every route except {@code /health} needs the admin key ({@code Authorization: Bearer} or
 * {@code X-API-Key}); every error is RFC 9457 problem+json, except the reference-compatible 404 of {@code GET
 * /telemetry/{chargerId}}.
 */
public final class HttpApi implements AutoCloseable {
    /** Request line and headers together, beyond which Jetty answers 431 (414 for the request line alone). */
    static final int MAX_REQUEST_HEAD_BYTES = 64 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);

    private final Javalin app;
    private final LiveTelemetry live;

    private HttpApi(Javalin app, LiveTelemetry live) {
        this.app = app;
        this.live = live;
    }

    /** What the API serves. */
    public record Services(
            TelemetryStore store,
            DeviceService devices,
            DeviceService operators,
            ApiKeys apiKeys,
            Map<String, Supplier<ComponentHealth>> health,
            Supplier<String> prometheus,
            QueryMetrics metrics,
            Clock clock,
            AlarmBook alarms,
            SilenceDetector silence,
            ChargerDirectory chargers,
            WebhookRegistry webhooks,
            RuleEvaluator rules,
            CommandService commands,
            JobService jobs,
            ArtifactService artifacts,
            Function<String, String> artifactUrl,
            ChangeFeed changes,
            Audit audit) {
        public Services {
            Objects.requireNonNull(store, "store");
            Objects.requireNonNull(devices, "devices");
            Objects.requireNonNull(operators, "operators");
            Objects.requireNonNull(apiKeys, "apiKeys");
            health = new LinkedHashMap<>(health);
            Objects.requireNonNull(prometheus, "prometheus");
            Objects.requireNonNull(metrics, "metrics");
            Objects.requireNonNull(clock, "clock");
            Objects.requireNonNull(alarms, "alarms");
            Objects.requireNonNull(silence, "silence");
            Objects.requireNonNull(chargers, "chargers");
            Objects.requireNonNull(webhooks, "webhooks");
            Objects.requireNonNull(rules, "rules");
            Objects.requireNonNull(commands, "commands");
            Objects.requireNonNull(jobs, "jobs");
            Objects.requireNonNull(artifacts, "artifacts");
            Objects.requireNonNull(artifactUrl, "artifactUrl");
            Objects.requireNonNull(changes, "changes");
            Objects.requireNonNull(audit, "audit");
        }
    }

    public static HttpApi start(HttpSettings settings, Services s) {
        TelemetryRoutes telemetry = new TelemetryRoutes(s.store(), s.clock(), s.metrics());
        TelemetryExport export = new TelemetryExport(s.store(), s.clock());
        CorrectionRoutes corrections = new CorrectionRoutes(new TelemetryCorrections(s.store(), s.audit(), s.changes(), s.clock()),
                s.clock());
        AuditRoutes audit = new AuditRoutes(s.audit());
        AggregateRoutes aggregates = new AggregateRoutes(new TelemetryAggregates(s.store()), s.clock(), s.metrics());
        LiveTelemetry live = new LiveTelemetry(s.changes(), s.store(), s.clock(), LiveTelemetry.DEFAULT_QUEUE);
        DeviceRoutes devices = new DeviceRoutes(s.devices(), "/api/v1/devices", ListCursor.DEVICES);
        DeviceRoutes operators = new DeviceRoutes(s.operators(), "/api/v1/operators", ListCursor.OPERATORS);
        OpsRoutes ops = new OpsRoutes(s.health(), s.prometheus(), s.store());
        AlarmRoutes alarms = new AlarmRoutes(s.alarms());
        ChargerRoutes chargers = new ChargerRoutes(s.chargers(), s.silence());
        WebhookRoutes webhooks = new WebhookRoutes(s.webhooks());
        AlarmRuleRoutes rules = new AlarmRuleRoutes(s.rules());
        CommandRoutes commands = new CommandRoutes(s.commands());
        JobRoutes jobs = new JobRoutes(s.jobs(), s.artifacts(), s.artifactUrl());
        ArtifactRoutes artifacts = new ArtifactRoutes(s.artifacts(), s.artifactUrl(), s.jobs());
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.http.maxRequestSize = settings.maxRequestBytes();
            // a fleet query names up to 1,000 chargers in its URL: Jetty's 8 KiB would hold about 300 ids
            config.jetty.modifyHttpConfiguration(http -> http.setRequestHeaderSize(MAX_REQUEST_HEAD_BYTES));
            config.jetty.host = settings.bindAddress();
            config.jetty.port = settings.port();
            config.routes.before(ctx -> authenticate(ctx, s.apiKeys()));
            new Routes(config.routes)
                    .get("/health", ops::health)
                    .get("/metrics", ops::metrics)
                    .get("/telemetry/{chargerId}", telemetry::latest)
                    .get("/api/v1/chargers/{chargerId}/telemetry", telemetry::history)
                    .get("/api/v1/chargers/{chargerId}/telemetry/count", telemetry::count)
                    .delete("/api/v1/chargers/{chargerId}/telemetry", corrections::deleteRange)
                    .put("/api/v1/chargers/{chargerId}/telemetry/{timestamp}", corrections::replace)
                    .patch("/api/v1/chargers/{chargerId}/telemetry/{timestamp}", corrections::patch)
                    .delete("/api/v1/chargers/{chargerId}/telemetry/{timestamp}", corrections::deleteOne)
                    .get("/api/v1/telemetry/latest", telemetry::fleetLatest)
                    .get("/api/v1/chargers/{chargerId}/telemetry/aggregate", aggregates::charger)
                    .get("/api/v1/telemetry/aggregate", aggregates::fleet)
                    .get("/api/v1/chargers/{chargerId}/telemetry/export", export::charger)
                    .get("/api/v1/telemetry/export", export::fleet)
                    .stream("/api/v1/chargers/{chargerId}/telemetry/stream", live::charger)
                    .stream("/api/v1/telemetry/stream", live::fleet)
                    .post("/api/v1/devices", devices::create)
                    .get("/api/v1/devices", devices::list)
                    .get("/api/v1/devices/{id}", devices::get)
                    .delete("/api/v1/devices/{id}", devices::revoke)
                    .post("/api/v1/operators", operators::create)
                    .get("/api/v1/operators", operators::list)
                    .get("/api/v1/operators/{id}", operators::get)
                    .delete("/api/v1/operators/{id}", operators::revoke)
                    .get("/api/v1/dead-letters", ops::deadLetters)
                    .get("/api/v1/audit", audit::list)
                    .get("/api/v1/alarms", alarms::list)
                    .get("/api/v1/alarms/{alarmId}", alarms::get)
                    .post("/api/v1/alarms/{alarmId}/ack", alarms::acknowledge)
                    .get("/api/v1/chargers", chargers::list)
                    .get("/api/v1/chargers/{chargerId}", chargers::get)
                    .get("/api/v1/chargers/{chargerId}/settings", chargers::settings)
                    .get("/api/v1/chargers/{chargerId}/presence", chargers::presence)
                    .put("/api/v1/chargers/{chargerId}/settings", chargers::putSettings)
                    .post("/api/v1/chargers/{chargerId}/commands", commands::issue)
                    .get("/api/v1/chargers/{chargerId}/commands", commands::list)
                    .get("/api/v1/chargers/{chargerId}/commands/{commandId}", commands::get)
                    .delete("/api/v1/chargers/{chargerId}/commands/{commandId}", commands::cancel)
                    .post("/api/v1/artifacts", artifacts::upload)
                    .get("/api/v1/artifacts", artifacts::list)
                    .get("/api/v1/artifacts/{artifactId}", artifacts::get)
                    .delete("/api/v1/artifacts/{artifactId}", artifacts::delete)
                    .post("/api/v1/jobs", jobs::create)
                    .get("/api/v1/jobs", jobs::list)
                    .get("/api/v1/jobs/{jobId}", jobs::get)
                    .get("/api/v1/jobs/{jobId}/executions", jobs::executions)
                    .post("/api/v1/jobs/{jobId}/cancel", jobs::cancel)
                    .post("/api/v1/alarm-rules", rules::create)
                    .get("/api/v1/alarm-rules", rules::list)
                    .get("/api/v1/alarm-rules/{ruleId}", rules::get)
                    .delete("/api/v1/alarm-rules/{ruleId}", rules::delete)
                    .post("/api/v1/webhooks", webhooks::create)
                    .get("/api/v1/webhooks", webhooks::list)
                    .get("/api/v1/webhooks/{webhookId}", webhooks::get)
                    .delete("/api/v1/webhooks/{webhookId}", webhooks::delete)
                    .get("/api/v1/webhooks/{webhookId}/deliveries", webhooks::deliveries);
            config.routes.exception(AuthenticationRequired.class, (e, ctx) -> {
                ctx.header("WWW-Authenticate", "Bearer realm=\"chargeline\"");
                Problem.write(ctx, 401, "Unauthorized", "unauthorized", e.getMessage());
            });
            Problem.handleErrors(config);
        });
        app.start();
        LOG.info("http: API on http://{}:{}", settings.bindAddress(), app.port());
        return new HttpApi(app, live);
    }

    private static void authenticate(Context ctx, ApiKeys keys) {
        if (ctx.path().equals("/health")) {
            return;
        }
        String presented = ctx.header("X-API-Key");
        String authorization = ctx.header("Authorization");
        if (presented == null && authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            presented = authorization.substring(7).trim();
        }
        if (presented == null) {
            throw new AuthenticationRequired("send the API key as 'Authorization: Bearer <key>' or 'X-API-Key: <key>'");
        }
        if (!keys.isValid(presented)) {
            throw new AuthenticationRequired("the API key is not valid");
        }
        ctx.attribute(AuditRoutes.KEY_NAME, "admin"); // the one key there is; named keys come with scoped keys
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        live.close();
        app.stop();
        LOG.info("http: stopped");
    }

    /** Missing or wrong API key. */
    static final class AuthenticationRequired extends RuntimeException {
        AuthenticationRequired(String message) {
            super(message, null, false, false);
        }
    }
}
