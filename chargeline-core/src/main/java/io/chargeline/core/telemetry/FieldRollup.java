package io.chargeline.core.telemetry;

import java.time.Instant;

/**
 * A charger's rollup of one period for one field: its summary (null when no record of the period had the field),
 * or, when {@code complete} is false, a note that the period must be read from the records.
 */
public record FieldRollup(Instant start, FieldSummary summary, boolean complete) {}
