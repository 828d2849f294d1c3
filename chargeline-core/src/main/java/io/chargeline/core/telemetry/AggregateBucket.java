package io.chargeline.core.telemetry;

import java.time.Instant;

/**
 * One bucket of an aggregate: {@code [start, end)}, the summary of its values, and how many chargers had a value
 * in it (1 for a single charger's aggregate).
 */
public record AggregateBucket(Instant start, Instant end, FieldSummary summary, int chargers) {}
