package io.chargeline.http;

import io.chargeline.core.telemetry.InMemoryTelemetryStore;
import static org.assertj.core.api.Assertions.assertThat;

import io.chargeline.core.Page;
import io.chargeline.core.telemetry.ChangeFeed;
import io.chargeline.core.telemetry.HistoryQuery;
import io.chargeline.core.telemetry.TelemetryChange;
import io.chargeline.core.telemetry.TelemetryRecord;
import io.javalin.Javalin;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Server-Sent Events read by the JDK's HTTP client: live records, resume from the store, the slow-consumer drop. */
class LiveTelemetryTest {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    private final ChangeFeed feed = new ChangeFeed();
    private final List<TelemetryRecord> stored = new ArrayList<>();
    private Javalin app;
    private LiveTelemetry live;

    @AfterEach
    void stop() {
        live.close();
        app.stop();
    }

    private void start(int queue) {
        live = new LiveTelemetry(feed, new InMemoryTelemetryStore() {
            @Override
            public Page<TelemetryRecord> history(HistoryQuery q) {
                return new Page<>(stored.stream().filter(r -> r.chargerId().equals(q.chargerId())
                        && !r.timestamp().isBefore(q.from()) && r.timestamp().isBefore(q.to())).toList(), null);
            }
        }, Clock.systemUTC(), queue);
        app = Javalin.create(c -> {
            Problem.handleErrors(c);
            c.routes.get("/charger/{chargerId}", live::charger);
            c.routes.get("/fleet", live::fleet);
        }).start("127.0.0.1", 0);
    }

    @Test
    void committedRecords_ofTheStreamsCharger_arriveAsEvents_withTheNewestTimestampAsId() throws Exception {
        start(LiveTelemetry.DEFAULT_QUEUE);
        Events events = open("/charger/CH-1", null);
        awaitSubscribed(1);

        feed.changed(TelemetryChange.stored(record("CH-1", T0.plusSeconds(2))));
        feed.changed(TelemetryChange.stored(record("CH-2", T0.plusSeconds(3))));
        feed.changed(TelemetryChange.stored(record("CH-1", T0.plusSeconds(1)))); // late, older

        assertThat(events.next()).isEqualTo("id: 2026-12-01T10:00:02.000Z|event: telemetry|data: "
                + "{\"chargerId\":\"CH-1\",\"timestamp\":\"2026-12-01T10:00:02.000Z\",\"data\":{\"n\":2},"
                + "\"metadata\":{\"receivedAt\":\"2026-12-01T10:00:02.000Z\",\"processedAt\":\"2026-12-01T10:00:02.000Z\"}}");
        assertThat(events.next()).startsWith("id: 2026-12-01T10:00:02.000Z|event: telemetry|data: {\"chargerId\":\"CH-1\","
                + "\"timestamp\":\"2026-12-01T10:00:01.000Z\"");
    }

    @Test
    void corrections_andDeletions_ofTheStreamsCharger_arriveAsTheirOwnEvents() throws Exception {
        start(LiveTelemetry.DEFAULT_QUEUE);
        Events events = open("/charger/CH-1", null);
        awaitSubscribed(1);

        feed.changed(TelemetryChange.updated(record("CH-1", T0).corrected("{\"n\":9}", T0.plusSeconds(60))));
        feed.changed(TelemetryChange.deleted(new TelemetryChange.Deletion("CH-2", T0, T0.plusSeconds(1), 1)));
        feed.changed(TelemetryChange.deleted(new TelemetryChange.Deletion("CH-1", T0, T0.plusSeconds(3600), 42)));

        assertThat(events.next()).isEqualTo("event: updated|data: {\"chargerId\":\"CH-1\",\"timestamp\":"
                + "\"2026-12-01T10:00:00.000Z\",\"data\":{\"n\":9},\"metadata\":{\"receivedAt\":\"2026-12-01T10:00:00.000Z\","
                + "\"processedAt\":\"2026-12-01T10:00:00.000Z\",\"updatedAt\":\"2026-12-01T10:01:00.000Z\"}}");
        assertThat(events.next()).isEqualTo("event: deleted|data: {\"chargerId\":\"CH-1\",\"from\":"
                + "\"2026-12-01T10:00:00.000Z\",\"to\":\"2026-12-01T11:00:00.000Z\",\"count\":42}");
    }

    @Test
    void lastEventId_replaysLaterRecordsFromTheStore_thenGoesLive_withoutRepeats() throws Exception {
        start(LiveTelemetry.DEFAULT_QUEUE);
        stored.add(record("CH-1", T0.plusSeconds(1)));
        stored.add(record("CH-1", T0.plusSeconds(2)));
        stored.add(record("CH-1", T0.plusSeconds(3)));

        Events events = open("/charger/CH-1", "2026-12-01T10:00:01.000Z");
        awaitSubscribed(1);
        feed.changed(TelemetryChange.stored(record("CH-1", T0.plusSeconds(3)))); // already replayed
        feed.changed(TelemetryChange.stored(record("CH-1", T0.plusSeconds(4))));

        assertThat(events.next()).startsWith("id: 2026-12-01T10:00:02.000Z|");
        assertThat(events.next()).startsWith("id: 2026-12-01T10:00:03.000Z|");
        assertThat(events.next()).startsWith("id: 2026-12-01T10:00:04.000Z|");
        assertThat(events.poll(Duration.ofMillis(700))).isNull();
    }

    @Test
    @Timeout(60)
    void aClientThatDoesNotRead_isDropped_withAFinalEvent_andNeverSlowsTheFeed() throws Exception {
        start(4);
        HttpResponse<InputStream> response = connect("/fleet", null);
        awaitSubscribed(1);
        String data = "{\"blob\":\"" + "x".repeat(32 * 1024) + "\"}";

        // the client reads nothing: paced at first, the server writes until the socket buffers are full and its
        // write blocks; then the queue of 4 fills and the stream is dropped
        for (int i = 0; i < 2000; i++) {
            Instant ts = T0.plusMillis(i);
            feed.changed(TelemetryChange.stored(new TelemetryRecord("CH-" + (i % 7), ts, data, ts, ts)));
            if (i < 300) {
                Thread.sleep(2);
            }
        }
        // reaching here at all is the point: with the client not reading, no offer to its full queue blocked

        List<String> lines;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            lines = in.lines().toList();
        }
        long delivered = lines.stream().filter(l -> l.equals("event: telemetry")).count();
        assertThat(delivered).isLessThan(2000);
        assertThat(lines).contains("event: dropped");
        assertThat(lines.get(lines.size() - 2)).startsWith("data: {\"reason\":\"the client read slower");
        awaitSubscribed(0);
    }

    @Test
    void badLastEventIdOrChargerIds_are400_beforeAnyStream() throws Exception {
        start(LiveTelemetry.DEFAULT_QUEUE);

        assertThat(connect("/charger/CH-1", "yesterday").statusCode()).isEqualTo(400);
        assertThat(connect("/fleet?chargerIds=CH-1,,x", null).statusCode()).isEqualTo(400);
        assertThat(connect("/charger/bad%20id", null).statusCode()).isEqualTo(400);
        assertThat(feed.subscribers()).isZero();
    }

    private static TelemetryRecord record(String chargerId, Instant ts) {
        return new TelemetryRecord(chargerId, ts, "{\"n\":" + ts.getEpochSecond() % 60 + "}", ts, ts);
    }

    private void awaitSubscribed(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (feed.subscribers() != n && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(feed.subscribers()).isEqualTo(n);
    }

    private HttpResponse<InputStream> connect(String path, String lastEventId) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path));
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    private Events open(String path, String lastEventId) throws Exception {
        HttpResponse<InputStream> response = connect(path, lastEventId);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/event-stream; charset=utf-8");
        return new Events(response.body());
    }

    /** Reads events (their lines joined by |) on a thread of its own, skipping comments and the retry line. */
    private static final class Events {
        private final BlockingQueue<String> events = new LinkedBlockingQueue<>();

        Events(InputStream body) {
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                    StringBuilder event = new StringBuilder();
                    for (String line; (line = in.readLine()) != null; ) {
                        if (line.isEmpty()) {
                            if (event.length() > 0) {
                                events.add(event.toString());
                                event.setLength(0);
                            }
                        } else if (!line.startsWith(":") && !line.startsWith("retry:")) {
                            event.append(event.length() > 0 ? "|" : "").append(line);
                        }
                    }
                } catch (java.io.IOException e) {
                    // stream ended
                }
            }, "sse-reader");
            reader.setDaemon(true);
            reader.start();
        }

        String next() throws InterruptedException {
            String e = events.poll(10, TimeUnit.SECONDS);
            assertThat(e).as("an event within 10 s").isNotNull();
            return e;
        }

        String poll(Duration wait) throws InterruptedException {
            return events.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        }
    }
}
