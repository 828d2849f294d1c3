package io.chargeline.http;

import io.chargeline.core.telemetry.InMemoryTelemetryStore;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chargeline.core.StorageException;
import io.chargeline.core.telemetry.TelemetryRecord;
import io.javalin.Javalin;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a client sees when the store fails in the middle of an export: a cut transfer, not a complete-looking file. */
class TelemetryExportTest {
    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

    private Javalin app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.stop();
        }
    }

    @Test
    void aStorageFailureAfterTheFirstChunk_cutsTheTransfer() throws Exception {
        TelemetryExport export = new TelemetryExport(new FailingOnSecondChunk(), Clock.systemUTC());
        app = Javalin.create(c -> c.routes.get("/export", export::fleet)).start("127.0.0.1", 0);
        HttpResponse<InputStream> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + app.port() + "/export?from=" + T0 + "&to=" + T0.plusSeconds(86_400))).build(),
                HttpResponse.BodyHandlers.ofInputStream());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThatThrownBy(() -> {
            try (InputStream body = response.body()) {
                body.readAllBytes();
            }
        }).isInstanceOf(IOException.class);
    }

    /** A full first chunk of records, then a storage failure. */
    private static final class FailingOnSecondChunk extends InMemoryTelemetryStore {
        @Override
        public List<TelemetryRecord> fleetChunk(Instant from, Instant to, TelemetryRecord after, int limit) {
            if (after != null) {
                throw new StorageException("disk gone", null);
            }
            List<TelemetryRecord> chunk = new ArrayList<>();
            for (int i = 0; i < limit; i++) {
                Instant ts = T0.plusMillis(i);
                chunk.add(new TelemetryRecord("CH-1", ts, "{\"n\":" + i + "}", ts, ts));
            }
            return chunk;
        }
    }
}
