package io.chargeline.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chargeline.core.InvalidRequestException;
import io.chargeline.core.NotFoundException;
import io.chargeline.core.Page;
import io.chargeline.core.artifact.Artifact;
import io.chargeline.core.artifact.ArtifactService;
import io.chargeline.core.job.Execution;
import io.chargeline.core.job.ExecutionStatus;
import io.chargeline.core.job.Job;
import io.chargeline.core.job.JobService;
import io.chargeline.core.job.JobSpec;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/** Update jobs: create, list, get (counts and progress), executions, cancel. */
final class JobRoutes {
    private static final Set<String> FIELDS =
            Set.of("type", "version", "artifactId", "url", "sha256", "size", "targets", "rollout", "abort", "timeout");
    static final int DEFAULT_MAX_PER_MINUTE = 100;
    static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(30);

    private final JobService jobs;
    private final ArtifactService artifacts;
    private final Function<String, String> artifactUrl;

    JobRoutes(JobService jobs, ArtifactService artifacts, Function<String, String> artifactUrl) {
        this.jobs = jobs;
        this.artifacts = artifacts;
        this.artifactUrl = artifactUrl;
    }

    /** POST /api/v1/jobs */
    void create(Context ctx) {
        JsonNode body = Json.object(ctx.bodyAsBytes(), FIELDS);
        JsonNode targets = object(body, "targets", Set.of("chargerIds", "all"), true);
        JsonNode rollout = object(body, "rollout", Set.of("maxPerMinute", "batchSize"), false);
        JsonNode abort = object(body, "abort", Set.of("failureRatio", "minExecuted"), false);
        boolean all = targets.path("all").asBoolean(false);
        JsonNode ids = targets.get("chargerIds");
        if (all == (ids != null)) {
            throw new InvalidRequestException("targets must be {\"chargerIds\":[...]} or {\"all\":true}");
        }
        List<String> chargerIds = null;
        if (ids != null) {
            if (!ids.isArray()) {
                throw new InvalidRequestException("targets.chargerIds must be an array of charger ids");
            }
            chargerIds = new ArrayList<>();
            for (JsonNode id : ids) {
                if (!id.isTextual()) {
                    throw new InvalidRequestException("targets.chargerIds must be an array of charger ids");
                }
                chargerIds.add(id.textValue());
            }
        }
        JsonNode size = body.get("size");
        if (size != null && !size.isNull() && !size.canConvertToLong()) {
            throw new InvalidRequestException("size must be a whole number of bytes");
        }
        String url = Json.text(body, "url");
        String sha256 = Json.text(body, "sha256");
        Long bytes = size == null || size.isNull() ? null : size.asLong();
        String artifactId = Json.text(body, "artifactId");
        if (artifactId != null) {
            if (url != null || sha256 != null || bytes != null) {
                throw new InvalidRequestException("give either artifactId or url, sha256 and size, not both");
            }
            Artifact artifact;
            try {
                artifact = artifacts.find(artifactId);
            } catch (NotFoundException e) {
                throw new InvalidRequestException("artifactId: " + e.getMessage());
            }
            url = artifactUrl.apply(artifact.id());
            sha256 = artifact.sha256();
            bytes = artifact.size();
        }
        JobSpec spec = new JobSpec(type(Json.text(body, "type")), Json.text(body, "version"), url, sha256, bytes,
                chargerIds, all,
                new Job.Rollout(integer(rollout, "rollout.maxPerMinute", "maxPerMinute", DEFAULT_MAX_PER_MINUTE),
                        rollout.has("batchSize") ? integer(rollout, "rollout.batchSize", "batchSize", 0) : null),
                abort.size() == 0 ? null : new Job.Abort(number(abort, "abort.failureRatio", "failureRatio"),
                        integer(abort, "abort.minExecuted", "minExecuted", 1)),
                timeout(Json.text(body, "timeout")));
        Job job = jobs.create(spec);
        ctx.status(201).header("Location", "/api/v1/jobs/" + job.id()).contentType("application/json")
                .result(Json.bytes(json(jobs.find(job.id()))));
    }

    /** GET /api/v1/jobs?limit=&cursor= */
    void list(Context ctx) {
        Page<Job> page = jobs.list(QueryParams.cursor(ctx, ListCursor.JOBS), QueryParams.limit(ctx));
        ctx.contentType("application/json").result(Json.bytes(Json.page(page, JobRoutes::json, ListCursor.JOBS)));
    }

    /** GET /api/v1/jobs/{jobId} */
    void get(Context ctx) {
        ctx.contentType("application/json").result(Json.bytes(json(jobs.find(ctx.pathParam("jobId")))));
    }

    /** GET /api/v1/jobs/{jobId}/executions?status=&limit=&cursor= */
    void executions(Context ctx) {
        Page<Execution> page = jobs.executions(ctx.pathParam("jobId"),
                QueryParams.enumValue(ctx, "status", ExecutionStatus.class),
                QueryParams.cursor(ctx, ListCursor.EXECUTIONS), QueryParams.limit(ctx));
        ctx.contentType("application/json").result(Json.bytes(Json.page(page, JobRoutes::execution,
                ListCursor.EXECUTIONS)));
    }

    /** POST /api/v1/jobs/{jobId}/cancel */
    void cancel(Context ctx) {
        ctx.contentType("application/json").result(Json.bytes(json(jobs.cancel(ctx.pathParam("jobId")))));
    }

    static ObjectNode json(Job j) {
        ObjectNode out = Json.MAPPER.createObjectNode()
                .put("jobId", j.id())
                .put("type", j.type().name().toLowerCase(Locale.ROOT))
                .put("version", j.version())
                .put("url", j.url())
                .put("sha256", j.sha256())
                .put("size", j.size())
                .put("status", j.status().name())
                .put("createdAt", Json.time(j.createdAt()))
                .put("finishedAt", Json.time(j.finishedAt()))
                .put("reason", j.reason());
        out.putObject("targets").put("all", j.allChargers()).put("count", j.targets());
        out.putObject("rollout").put("maxPerMinute", j.rollout().maxPerMinute()).put("batchSize", j.rollout().batchSize());
        if (j.abort() == null) {
            out.putNull("abort");
        } else {
            out.putObject("abort").put("failureRatio", j.abort().failureRatio()).put("minExecuted", j.abort().minExecuted());
        }
        out.put("timeout", j.timeout().toString());
        ObjectNode counts = out.putObject("counts");
        int finished = 0;
        for (ExecutionStatus s : ExecutionStatus.values()) {
            int n = j.counts().getOrDefault(s, 0);
            counts.put(s.name(), n);
            finished += s.isFinal() ? n : 0;
        }
        out.put("progress", j.targets() == 0 ? 100 : finished * 100 / j.targets());
        return out;
    }

    static ObjectNode execution(Execution e) {
        return Json.MAPPER.createObjectNode()
                .put("chargerId", e.chargerId())
                .put("status", e.status().name())
                .put("commandId", e.commandId())
                .put("progress", e.progress())
                .put("step", e.step())
                .put("startedAt", Json.time(e.startedAt()))
                .put("finishedAt", Json.time(e.finishedAt()))
                .put("detail", e.detail());
    }

    private static Job.Type type(String raw) {
        if (raw == null) {
            throw new InvalidRequestException("type is required: firmware or software");
        }
        try {
            return Job.Type.valueOf(raw.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("type must be firmware or software");
        }
    }

    private static Duration timeout(String raw) {
        return raw == null ? DEFAULT_TIMEOUT : QueryParams.duration("timeout", raw, "PT30M");
    }

    private static JsonNode object(JsonNode body, String field, Set<String> fields, boolean required) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                throw new InvalidRequestException(field + " is required");
            }
            return Json.MAPPER.createObjectNode();
        }
        if (!node.isObject()) {
            throw new InvalidRequestException(field + " must be an object");
        }
        Json.onlyKnown(node, fields, field);
        return node;
    }

    private static int integer(JsonNode node, String name, String field, int defaultValue) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return defaultValue;
        }
        if (!v.canConvertToInt() || !v.isIntegralNumber()) {
            throw new InvalidRequestException(name + " must be a whole number");
        }
        return v.intValue();
    }

    private static double number(JsonNode node, String name, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isNumber()) {
            throw new InvalidRequestException(name + " must be a number");
        }
        return v.doubleValue();
    }
}
