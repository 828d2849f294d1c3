package io.chargeline.http;

import com.fasterxml.jackson.core.JsonGenerator;
import io.chargeline.core.InvalidRequestException;
import io.chargeline.core.device.ChargerIds;
import io.chargeline.core.telemetry.TelemetryRecord;
import io.chargeline.core.telemetry.TelemetryStore;
import io.javalin.http.Context;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.TreeSet;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;

/**
 * Streams a range of records as NDJSON (one record per line, the history shape) or CSV, read through {@link
 * RecordScan}: memory stays at one page whatever the range, and a slow client only slows its own export.
 */
final class TelemetryExport {
    /** CSV columns beyond the fixed ones; more distinct data fields than this in one range is a 400. */
    static final int MAX_CSV_COLUMNS = 1000;

    private final TelemetryStore store;
    private final Clock clock;

    TelemetryExport(TelemetryStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** GET /api/v1/chargers/{chargerId}/telemetry/export?from=&to=&format=ndjson|csv */
    void charger(Context ctx) throws IOException {
        String chargerId = ChargerIds.require(ctx.pathParam("chargerId"));
        QueryParams.TimeRange range = QueryParams.timeRange(ctx, clock);
        export(ctx, chargerId, sink -> RecordScan.charger(store, chargerId, range.from(), range.to(), sink));
    }

    /** GET /api/v1/telemetry/export?from=&to=&format=ndjson|csv: every charger, day by day, then by charger. */
    void fleet(Context ctx) throws IOException {
        QueryParams.TimeRange range = QueryParams.timeRange(ctx, clock);
        export(ctx, "fleet", sink -> RecordScan.fleet(store, range.from(), range.to(), sink));
    }

    /** Feeds the export's records to a sink; run once per pass. */
    private interface Scan {
        void run(RecordScan.Sink sink) throws IOException;
    }

    /**
     * Reads the range once for NDJSON; twice for CSV, whose header must name every field first. A failure once the
     * response has started drops the connection, so the client sees a cut transfer rather than an ending.
     */
    private void export(Context ctx, String name, Scan records) throws IOException {
        try {
            write(ctx, name, records);
        } catch (RuntimeException | IOException e) {
            if (ctx.res().isCommitted()) {
                ServletContextRequest.getServletContextRequest(ctx.req()).getConnectionMetaData().getConnection()
                        .close();
            }
            throw e;
        }
    }

    private void write(Context ctx, String name, Scan records) throws IOException {
        String format = ctx.queryParamAsClass("format", String.class).getOrDefault("ndjson");
        switch (format) {
            case "ndjson" -> {
                start(ctx, "application/x-ndjson", name + ".ndjson");
                try (OutputStream out = new BufferedOutputStream(ctx.outputStream(), 64 * 1024);
                        JsonGenerator json = Json.MAPPER.createGenerator(out)) {
                    json.setRootValueSeparator(null);
                    records.run(r -> writeNdjson(json, r));
                }
            }
            case "csv" -> {
                TreeSet<String> columns = new TreeSet<>();
                records.run(r -> {
                    CsvRows.collectColumns(r.dataJson(), columns, MAX_CSV_COLUMNS);
                    return true;
                });
                start(ctx, "text/csv; charset=utf-8", name + ".csv");
                try (Writer out = new OutputStreamWriter(new BufferedOutputStream(ctx.outputStream(), 64 * 1024),
                        StandardCharsets.UTF_8)) {
                    CsvRows rows = new CsvRows(out, List.copyOf(columns));
                    rows.header();
                    records.run(r -> {
                        rows.write(r);
                        return true;
                    });
                }
            }
            default -> throw new InvalidRequestException("format must be ndjson or csv");
        }
    }

    private static void start(Context ctx, String contentType, String filename) {
        ctx.contentType(contentType);
        ctx.header("Content-Disposition", "attachment; filename=\"" + filename + "\"");
        ctx.header("Cache-Control", "no-store");
    }

    /** One line in the history shape ({@link Json#telemetry}), {@code data} as stored. */
    private static boolean writeNdjson(JsonGenerator json, TelemetryRecord r) throws IOException {
        json.writeTree(Json.telemetry(r));
        json.writeRaw('\n');
        return true;
    }
}
