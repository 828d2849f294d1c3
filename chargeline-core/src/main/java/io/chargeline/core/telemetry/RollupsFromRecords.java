package io.chargeline.core.telemetry;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Rollups worked out from the records themselves: for stores that keep none, and as what kept ones must equal. */
final class RollupsFromRecords {
    private final RollupPeriod period;
    private final String field;
    private final List<FieldRollup> out = new ArrayList<>();
    private Instant start;
    private Rollup current;

    private RollupsFromRecords(RollupPeriod period, String field) {
        this.period = period;
        this.field = field;
    }

    static List<FieldRollup> read(TelemetryStore store, String chargerId, RollupPeriod period, Instant from, Instant to,
            String field) {
        RollupsFromRecords reader = new RollupsFromRecords(period, field);
        if (from.isBefore(to)) {
            store.scan(chargerId, from, to, reader::add);
        }
        reader.flush();
        return reader.out;
    }

    private boolean add(TelemetryRecord r) {
        Instant s = period.startOf(r.timestamp());
        if (!s.equals(start)) {
            flush();
            start = s;
            current = new Rollup();
        }
        current.add(r);
        return true;
    }

    private void flush() {
        if (current != null && (current.field(field) != null || !current.complete())) {
            out.add(new FieldRollup(start, current.field(field), current.complete()));
        }
    }
}
