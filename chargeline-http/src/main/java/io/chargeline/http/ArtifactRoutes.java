package io.chargeline.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chargeline.core.ConflictException;
import io.chargeline.core.ContentTooLargeException;
import io.chargeline.core.InvalidRequestException;
import io.chargeline.core.Page;
import io.chargeline.core.artifact.Artifact;
import io.chargeline.core.artifact.ArtifactService;
import io.chargeline.core.job.JobService;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.function.Function;

/**
 * Update artifacts: upload (the file is the request body, streamed to disk, not limited by the API's body
 * size), list, get, delete.
 */
final class ArtifactRoutes {
    private static final long DISCARD_LIMIT = 64L * 1024 * 1024;
    private final ArtifactService artifacts;
    private final Function<String, String> downloadUrl;
    private final JobService jobs;

    ArtifactRoutes(ArtifactService artifacts, Function<String, String> downloadUrl, JobService jobs) {
        this.artifacts = artifacts;
        this.downloadUrl = downloadUrl;
        this.jobs = jobs;
    }

    /** POST /api/v1/artifacts?name=fw-2.0.0.bin, body: the file. */
    void upload(Context ctx) throws IOException {
        long length = ctx.req().getContentLengthLong();
        Artifact artifact;
        try {
            artifact = artifacts.upload(ctx.queryParam("name"), ctx.req().getInputStream(), length < 0 ? null : length);
        } catch (ContentTooLargeException | InvalidRequestException refused) {
            discardRest(ctx);
            throw refused;
        }
        ctx.status(201).header("Location", "/api/v1/artifacts/" + artifact.id()).contentType("application/json")
                .result(Json.bytes(json(artifact)));
    }

    /**
     * Reads and drops what the client is still sending (up to {@link #DISCARD_LIMIT}), then closes the connection
     * after the error. Closing with unread bytes makes the kernel reset the connection, and the client would lose
     * the error response along with it.
     */
    private static void discardRest(Context ctx) {
        ctx.header("Connection", "close");
        try {
            byte[] sink = new byte[64 * 1024];
            long discarded = 0;
            for (int n; discarded < DISCARD_LIMIT && (n = ctx.req().getInputStream().read(sink)) != -1; ) {
                discarded += n;
            }
        } catch (IOException e) {
            // the client went away: nothing to answer
        }
    }

    /** GET /api/v1/artifacts?limit=&cursor= */
    void list(Context ctx) {
        Page<Artifact> page = artifacts.list(QueryParams.cursor(ctx, ListCursor.ARTIFACTS), QueryParams.limit(ctx));
        ctx.contentType("application/json").result(Json.bytes(Json.page(page, this::json, ListCursor.ARTIFACTS)));
    }

    /** GET /api/v1/artifacts/{artifactId} */
    void get(Context ctx) {
        ctx.contentType("application/json").result(Json.bytes(json(artifacts.find(ctx.pathParam("artifactId")))));
    }

    /** DELETE /api/v1/artifacts/{artifactId}: refused while a running job still sends chargers to it. */
    void delete(Context ctx) {
        Artifact artifact = artifacts.find(ctx.pathParam("artifactId"));
        if (jobs.uses(downloadUrl.apply(artifact.id()))) {
            throw new ConflictException("artifact " + artifact.id() + " is in use by a running job; cancel it first");
        }
        artifacts.delete(artifact.id());
        ctx.status(204);
    }

    ObjectNode json(Artifact a) {
        return Json.MAPPER.createObjectNode()
                .put("artifactId", a.id())
                .put("name", a.name())
                .put("size", a.size())
                .put("sha256", a.sha256())
                .put("createdAt", Json.time(a.createdAt()))
                .put("downloadUrl", downloadUrl.apply(a.id()));
    }
}
