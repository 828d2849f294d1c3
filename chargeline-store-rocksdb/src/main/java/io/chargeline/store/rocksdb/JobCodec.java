package io.chargeline.store.rocksdb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chargeline.core.StorageException;
import io.chargeline.core.job.Execution;
import io.chargeline.core.job.ExecutionStatus;
import io.chargeline.core.job.Job;
import io.chargeline.core.job.JobStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.Map;

/** Job and execution rows: a version byte, then JSON. */
final class JobCodec {
    private static final byte VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    private JobCodec() {}

    static byte[] encode(Job j) {
        ObjectNode row = JSON.createObjectNode()
                .put("type", j.type().name())
                .put("version", j.version())
                .put("url", j.url())
                .put("sha256", j.sha256())
                .put("size", j.size())
                .put("all", j.allChargers())
                .put("targets", j.targets())
                .put("maxPerMinute", j.rollout().maxPerMinute())
                .put("batchSize", j.rollout().batchSize())
                .put("timeout", j.timeout().toString())
                .put("status", j.status().name())
                .put("createdAt", j.createdAt().toString())
                .put("finishedAt", j.finishedAt() == null ? null : j.finishedAt().toString())
                .put("reason", j.reason());
        if (j.abort() != null) {
            row.put("failureRatio", j.abort().failureRatio()).put("minExecuted", j.abort().minExecuted());
        }
        ObjectNode counts = row.putObject("counts");
        j.counts().forEach((status, n) -> counts.put(status.name(), n));
        return withVersion(row);
    }

    static Job decodeJob(String id, byte[] value) {
        JsonNode row = read(value, "job " + id);
        Map<ExecutionStatus, Integer> counts = new EnumMap<>(ExecutionStatus.class);
        for (Iterator<Map.Entry<String, JsonNode>> it = row.get("counts").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            counts.put(ExecutionStatus.valueOf(e.getKey()), e.getValue().asInt());
        }
        return new Job(id, Job.Type.valueOf(row.get("type").asText()), row.get("version").asText(), text(row, "url"),
                text(row, "sha256"), row.get("size").isNull() ? null : row.get("size").asLong(), row.get("all").asBoolean(),
                row.get("targets").asInt(),
                new Job.Rollout(row.get("maxPerMinute").asInt(),
                        row.get("batchSize").isNull() ? null : row.get("batchSize").asInt()),
                row.has("failureRatio")
                        ? new Job.Abort(row.get("failureRatio").asDouble(), row.get("minExecuted").asInt()) : null,
                Duration.parse(row.get("timeout").asText()), JobStatus.valueOf(row.get("status").asText()),
                Instant.parse(row.get("createdAt").asText()), instant(row, "finishedAt"), text(row, "reason"), counts);
    }

    static byte[] encode(Execution e) {
        ObjectNode row = JSON.createObjectNode()
                .put("status", e.status().name())
                .put("commandId", e.commandId())
                .put("progress", e.progress())
                .put("step", e.step())
                .put("startedAt", e.startedAt() == null ? null : e.startedAt().toString())
                .put("finishedAt", e.finishedAt() == null ? null : e.finishedAt().toString())
                .put("detail", e.detail());
        return withVersion(row);
    }

    static Execution decodeExecution(String jobId, String chargerId, byte[] value) {
        JsonNode row = read(value, "execution " + jobId + "/" + chargerId);
        return new Execution(jobId, chargerId, ExecutionStatus.valueOf(row.get("status").asText()), text(row, "commandId"),
                row.get("progress").isNull() ? null : row.get("progress").asInt(), text(row, "step"),
                instant(row, "startedAt"), instant(row, "finishedAt"), text(row, "detail"));
    }

    private static byte[] withVersion(ObjectNode row) {
        byte[] json = row.toString().getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[json.length + 1];
        out[0] = VERSION;
        System.arraycopy(json, 0, out, 1, json.length);
        return out;
    }

    private static JsonNode read(byte[] value, String what) {
        if (value.length == 0 || value[0] != VERSION) {
            throw new StorageException(what + ": unknown row version", null);
        }
        try {
            return JSON.readTree(value, 1, value.length - 1);
        } catch (IOException e) {
            throw new StorageException(what + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode row, String field) {
        JsonNode v = row.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Instant instant(JsonNode row, String field) {
        String v = text(row, field);
        return v == null ? null : Instant.parse(v);
    }
}
