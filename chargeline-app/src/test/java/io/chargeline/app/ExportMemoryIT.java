package io.chargeline.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.chargeline.core.telemetry.TelemetryRecord;
import io.chargeline.store.rocksdb.RocksDbStorage;
import io.chargeline.tools.bench.ChargelineServer;
import io.chargeline.tools.bench.ServerLaunch;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A million records (about 230 MB as NDJSON) exported by a server whose heap is 64 MiB: only streaming gets them
 * all out. The server is a child JVM so its heap can be that small.
 */
class ExportMemoryIT {
    private static final int RECORDS = 1_000_000;
    private static final int CHARGERS = 100;

    @TempDir
    static Path dir;

    static ChargelineServer server;
    static Instant from;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void preloadAndStart() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        from = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(2));
        try (RocksDbStorage storage = RocksDbStorage.open(data.resolve("store"), Duration.ofDays(30), 1000)) {
            List<TelemetryRecord> batch = new ArrayList<>();
            for (int i = 0; i < RECORDS; i++) {
                Instant ts = from.plusMillis(i / CHARGERS * 5L);
                String json = "{\"power\":" + (i % 220) / 10.0 + ",\"voltage\":230,\"energy\":" + i
                        + ",\"status\":\"Charging\",\"meter\":{\"l1\":16.2,\"l2\":15.9,\"l3\":16.0}}";
                batch.add(new TelemetryRecord(String.format("CH-%03d", i % CHARGERS), ts, json, ts, ts));
                if (batch.size() == 10_000) {
                    storage.telemetry().commit(batch, List.of());
                    batch.clear();
                }
            }
        }
        server = ChargelineServer.start(new ServerLaunch(Path.of("target", "chargeline.jar").toAbsolutePath(),
                List.of("-Xmx64m")), data, TestPlatform.ADMIN_KEY, dir.resolve("server.log"));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void fleetExport_ndjson_streamsAMillionRows_throughA64MiBHeap() throws Exception {
        assertThat(lines("/api/v1/telemetry/export?from=" + from + "&to=" + from.plus(Duration.ofHours(1))))
                .isEqualTo(RECORDS);
    }

    @Test
    void chargerExport_csv_streamsItsTenThousandRows_afterTheHeader() throws Exception {
        assertThat(lines("/api/v1/chargers/CH-007/telemetry/export?format=csv&from=" + from + "&to="
                + from.plus(Duration.ofHours(1)))).isEqualTo(RECORDS / CHARGERS + 1);
    }

    @Test
    void fleetExport_csv_streamsAMillionRows_afterTheHeader() throws Exception {
        assertThat(lines("/api/v1/telemetry/export?format=csv&from=" + from + "&to=" + from.plus(Duration.ofHours(1))))
                .isEqualTo(RECORDS + 1);
    }

    private static long lines(String path) throws Exception {
        long started = System.nanoTime();
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.httpPort() + path))
                .header("Authorization", "Bearer " + TestPlatform.ADMIN_KEY).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        long count;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            count = in.lines().count();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("export %s: %d lines in %.1f s (%.0f lines/s)%n", path, count, seconds, count / seconds);
        return count;
    }
}
