package io.chargeline.http;

import io.chargeline.core.InvalidRequestException;
import io.chargeline.core.OverloadedException;
import io.chargeline.core.device.ChargerIds;
import io.chargeline.core.telemetry.ChangeFeed;
import io.chargeline.core.telemetry.JsonTimestamps;
import io.chargeline.core.telemetry.TelemetryChange;
import io.chargeline.core.telemetry.TelemetryRecord;
import io.chargeline.core.telemetry.TelemetryStore;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Server-Sent Events of committed records, for one charger or several: each record is pushed once its commit is
 * durable (from the {@link ChangeFeed}). Each stream has a bounded queue that the ingest writer only offers to, so
 * a client that reads slower than its chargers send is dropped (with a final {@code dropped} event when it still
 * reads) and never slows ingest. Event ids are the newest record timestamp sent so far; {@code Last-Event-ID}
 * replays from the store every record of the stream's chargers with a later timestamp, then goes on live.
 */
final class LiveTelemetry implements AutoCloseable {
    static final int MAX_STREAMS = 64;
    static final int DEFAULT_QUEUE = 1000;
    private static final Duration HEARTBEAT = Duration.ofSeconds(15);
    private static final Duration POLL = Duration.ofMillis(500);
    /** How far ahead of now a replay looks (the validator accepts timestamps up to 5 minutes ahead). */
    private static final Duration FUTURE = Duration.ofMinutes(10);

    private final ChangeFeed feed;
    private final TelemetryStore store;
    private final Clock clock;
    private final int queueCapacity;
    private final Semaphore streams = new Semaphore(MAX_STREAMS);
    private volatile boolean closing;

    LiveTelemetry(ChangeFeed feed, TelemetryStore store, Clock clock, int queueCapacity) {
        this.feed = feed;
        this.store = store;
        this.clock = clock;
        this.queueCapacity = queueCapacity;
    }

    /** GET /api/v1/chargers/{chargerId}/telemetry/stream */
    void charger(Context ctx) throws IOException {
        stream(ctx, List.of(ChargerIds.require(ctx.pathParam("chargerId"))));
    }

    /** GET /api/v1/telemetry/stream?chargerIds=a,b (absent: every charger) */
    void fleet(Context ctx) throws IOException {
        String raw = ctx.queryParam("chargerIds");
        stream(ctx, raw == null ? null : QueryParams.chargerIds(ctx, TelemetryRoutes.MAX_FLEET_CHARGERS));
    }

    private void stream(Context ctx, List<String> chargerIds) throws IOException {
        Instant resumeAfter = lastEventId(ctx);
        if (!streams.tryAcquire()) {
            throw new OverloadedException("at most " + MAX_STREAMS + " live streams at a time; retry later");
        }
        Stream stream = new Stream(chargerIds == null ? null : Set.copyOf(chargerIds), queueCapacity);
        try (ChangeFeed.Subscription subscription = feed.subscribe(stream::offer)) {
            ctx.contentType("text/event-stream; charset=utf-8");
            ctx.header("Cache-Control", "no-store");
            ctx.header("X-Accel-Buffering", "no"); // reverse proxies: do not hold events back
            // the servlet's own stream: Javalin's may compress, and a compressor holds events back
            OutputStream out = ctx.res().getOutputStream();
            stream.out = out;
            stream.write("retry: 2000\n\n");
            stream.flush();
            if (resumeAfter != null) {
                stream.watermark = resumeAfter;
                replay(stream, chargerIds, resumeAfter);
            }
            pump(stream);
        } catch (IOException e) {
            // the client went away
        } finally {
            streams.release();
        }
    }

    private static Instant lastEventId(Context ctx) {
        String id = ctx.header("Last-Event-ID");
        if (id == null || id.isEmpty()) {
            return null;
        }
        try {
            return Instant.parse(id);
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException("Last-Event-ID must be an event id this stream sent (an ISO-8601 instant)");
        }
    }

    private void replay(Stream stream, List<String> chargerIds, Instant after) throws IOException {
        Instant from = after.plusNanos(1);
        Instant to = clock.instant().plus(FUTURE);
        if (!from.isBefore(to)) {
            return;
        }
        RecordScan.Sink replay = r -> {
            stream.replayed(r);
            return !stream.dropped.get(); // a stream dropped meanwhile stops reading the store
        };
        if (chargerIds == null) {
            RecordScan.fleet(store, from, to, replay);
        } else {
            for (String id : chargerIds) {
                RecordScan.charger(store, id, from, to, replay);
            }
        }
        stream.flush();
    }

    private void pump(Stream stream) throws IOException {
        long idleNanos = 0;
        while (!closing) {
            TelemetryChange change;
            try {
                change = stream.queue.poll(POLL.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (change != null) {
                idleNanos = 0;
                stream.live(change);
                if (stream.queue.isEmpty()) {
                    stream.flush();
                }
                continue;
            }
            if (stream.dropped.get()) {
                stream.write("event: dropped\ndata: {\"reason\":\"the client read slower than its chargers sent; "
                        + "reconnect with Last-Event-ID to resume\"}\n\n");
                stream.flush();
                return;
            }
            idleNanos += POLL.toNanos();
            if (idleNanos >= HEARTBEAT.toNanos()) {
                idleNanos = 0;
                stream.write(": keep-alive\n\n");
                stream.flush();
            }
        }
    }

    /** Ends every stream within a poll interval (the server is stopping). */
    @Override
    public void close() {
        closing = true;
    }

    /** One client's stream: its filter, its queue, what it sent. */
    private static final class Stream {
        final Set<String> chargerIds;
        final BlockingQueue<TelemetryChange> queue;
        final AtomicBoolean dropped = new AtomicBoolean();
        /** Per charger, the newest timestamp a replay sent: live copies of those records are not sent again. */
        final Map<String, Instant> replayedUpTo = new HashMap<>();
        OutputStream out;
        Instant watermark;

        Stream(Set<String> chargerIds, int capacity) {
            this.chargerIds = chargerIds;
            this.queue = new ArrayBlockingQueue<>(capacity);
        }

        /** On the ingest writer thread (or a correcting request's): never blocks. A full queue drops the stream. */
        void offer(TelemetryChange change) {
            if (dropped.get() || (chargerIds != null && !chargerIds.contains(change.chargerId()))) {
                return;
            }
            if (!queue.offer(change)) {
                dropped.set(true);
                queue.clear();
            }
        }

        void replayed(TelemetryRecord r) throws IOException {
            replayedUpTo.merge(r.chargerId(), r.timestamp(), (a, b) -> a.isAfter(b) ? a : b);
            send(r);
        }

        void live(TelemetryChange change) throws IOException {
            switch (change.kind()) {
                case STORED -> {
                    TelemetryRecord r = change.record();
                    Instant replayed = replayedUpTo.get(r.chargerId());
                    if (replayed == null || r.timestamp().isAfter(replayed)) {
                        send(r);
                    }
                }
                case UPDATED -> { // no id: resuming goes by new records, and a correction is not one
                    write("event: updated\ndata: ");
                    out.write(Json.bytes(Json.telemetry(change.record())));
                    write("\n\n");
                }
                case DELETED -> {
                    TelemetryChange.Deletion d = change.deletion();
                    write("event: deleted\ndata: ");
                    out.write(Json.bytes(Json.MAPPER.createObjectNode().put("chargerId", d.chargerId())
                            .put("from", JsonTimestamps.formatRecordTimestamp(d.from()))
                            .put("to", JsonTimestamps.formatRecordTimestamp(d.to())).put("count", d.count())));
                    write("\n\n");
                }
            }
        }

        private void send(TelemetryRecord r) throws IOException {
            if (watermark == null || r.timestamp().isAfter(watermark)) {
                watermark = r.timestamp();
            }
            write("id: " + JsonTimestamps.formatRecordTimestamp(watermark) + "\nevent: telemetry\ndata: ");
            out.write(Json.bytes(Json.telemetry(r)));
            write("\n\n");
        }

        void write(String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }

        void flush() throws IOException {
            out.flush();
        }
    }
}
