package io.chargeline.http;

import io.chargeline.core.Page;
import io.chargeline.core.telemetry.HistoryQuery;
import io.chargeline.core.telemetry.TelemetryRecord;
import io.chargeline.core.telemetry.TelemetryStore;
import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * A range of records read from the store a page at a time, for exports and stream replays of any length: memory
 * stays at one page, and no read holds the store for longer than a page takes.
 */
final class RecordScan {
    static final int PAGE = HistoryQuery.MAX_LIMIT;

    private RecordScan() {}

    /** Takes each record in turn; false stops the scan. */
    interface Sink {
        boolean accept(TelemetryRecord record) throws IOException;
    }

    /** One charger's records in {@code [from, to)}, in time order. */
    static void charger(TelemetryStore store, String chargerId, Instant from, Instant to, Sink sink)
            throws IOException {
        String cursor = null;
        do {
            Page<TelemetryRecord> page = store.history(new HistoryQuery(chargerId, from, to, PAGE, false, cursor));
            for (TelemetryRecord r : page.items()) {
                if (!sink.accept(r)) {
                    return;
                }
            }
            cursor = page.nextCursor();
        } while (cursor != null);
    }

    /** Every charger's records in {@code [from, to)}: day by day, then charger, then time. */
    static void fleet(TelemetryStore store, Instant from, Instant to, Sink sink) throws IOException {
        TelemetryRecord last = null;
        List<TelemetryRecord> chunk;
        do {
            chunk = store.fleetChunk(from, to, last, PAGE);
            for (TelemetryRecord r : chunk) {
                if (!sink.accept(r)) {
                    return;
                }
            }
            last = chunk.isEmpty() ? null : chunk.get(chunk.size() - 1);
        } while (chunk.size() == PAGE);
    }
}
