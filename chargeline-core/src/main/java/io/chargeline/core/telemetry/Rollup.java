package io.chargeline.core.telemetry;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One charger's summary of a period (see {@link RollupPeriod}): a {@link FieldSummary} for every leaf its records'
 * {@code data} had. Incomplete when a record had more than {@link NumericFields#MAX_FIELDS} leaves, so the
 * summaries do not cover it all: readers then go to the records instead. Mutable and not thread-safe.
 */
public final class Rollup {
    private final Map<String, FieldSummary> fields;
    private boolean complete;

    public Rollup() {
        this(new HashMap<>(), true);
    }

    private Rollup(Map<String, FieldSummary> fields, boolean complete) {
        this.fields = fields;
        this.complete = complete;
    }

    /** A rollup as stored. */
    public static Rollup of(Map<String, FieldSummary> fields, boolean complete) {
        return new Rollup(new HashMap<>(fields), complete);
    }

    /** The rollup of exactly these records. */
    public static Rollup of(List<TelemetryRecord> records) {
        Rollup r = new Rollup();
        records.forEach(r::add);
        return r;
    }

    public void add(TelemetryRecord record) {
        addTo(record, this, null);
    }

    /** Adds {@code record} to {@code a} and to {@code b} (may be null) with one walk of its data. */
    public static void addTo(TelemetryRecord record, Rollup a, Rollup b) {
        boolean all = NumericFields.walk(record.dataJson(), NumericFields.MAX_FIELDS, new NumericFields.Visitor() {
            @Override
            public void number(String path, double value) {
                if (path.length() > DataFields.MAX_PATH_CHARS) {
                    return; // no query can name it
                }
                a.summary(path).add(record.timestamp(), value);
                if (b != null) {
                    b.summary(path).add(record.timestamp(), value);
                }
            }

            @Override
            public void other(String path) {
                if (path.length() > DataFields.MAX_PATH_CHARS) {
                    return;
                }
                a.summary(path).skip();
                if (b != null) {
                    b.summary(path).skip();
                }
            }
        });
        a.complete &= all;
        if (b != null) {
            b.complete &= all;
        }
    }

    private FieldSummary summary(String path) {
        FieldSummary s = fields.get(path);
        if (s == null) {
            s = new FieldSummary();
            fields.put(path, s);
        }
        return s;
    }

    public void merge(Rollup o) {
        o.fields.forEach((path, s) -> fields.computeIfAbsent(path, p -> new FieldSummary()).merge(s));
        complete &= o.complete;
    }

    public Rollup copy() {
        Map<String, FieldSummary> copied = new HashMap<>(fields.size() * 2);
        fields.forEach((path, s) -> copied.put(path, s.copy()));
        return new Rollup(copied, complete);
    }

    /** The field's summary, or null when no record of the period had it. */
    public FieldSummary field(String path) {
        return fields.get(path);
    }

    public Map<String, FieldSummary> fields() {
        return Collections.unmodifiableMap(fields);
    }

    public boolean complete() {
        return complete;
    }

    public boolean isEmpty() {
        return fields.isEmpty() && complete;
    }
}
