package io.chargeline.store.rocksdb;

import io.chargeline.core.telemetry.TelemetryRecord;
import java.time.LocalDate;

/** A record ready to join a write: its day bucket, row key and row value. */
record EncodedRecord(TelemetryRecord record, LocalDate day, byte[] key, byte[] value) {}
