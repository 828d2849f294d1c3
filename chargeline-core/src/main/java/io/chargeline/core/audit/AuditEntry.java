package io.chargeline.core.audit;

import java.time.Instant;

/**
 * One change someone made: who ({@code actor}, the API key's name) from which {@code address}, when, what
 * ({@code action}, e.g. {@code telemetry.delete}) to which charger, and its particulars as a JSON object
 * ({@code detailJson}: timestamps, ranges, counts; never data or secrets).
 */
public record AuditEntry(String id, Instant at, String actor, String address, String action, String chargerId,
        String detailJson) {}
