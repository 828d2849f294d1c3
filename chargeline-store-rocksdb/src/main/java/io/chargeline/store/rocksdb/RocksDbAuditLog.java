package io.chargeline.store.rocksdb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chargeline.core.Page;
import io.chargeline.core.StorageException;
import io.chargeline.core.audit.AuditEntry;
import io.chargeline.core.audit.AuditLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteOptions;

/** Audit entries in {@code audit} by id (time-ordered), as JSON; every write synced. Kept until erased by hand. */
final class RocksDbAuditLog implements AuditLog {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RocksDB db;
    private final ColumnFamilyHandle audit;
    private final WriteOptions syncWrites;

    RocksDbAuditLog(RocksDB db, ColumnFamilyHandle audit, WriteOptions syncWrites) {
        this.db = db;
        this.audit = audit;
        this.syncWrites = syncWrites;
    }

    @Override
    public void append(AuditEntry e) {
        byte[] value = JSON.createObjectNode().put("at", e.at().toString()).put("actor", e.actor())
                .put("address", e.address()).put("action", e.action()).put("chargerId", e.chargerId())
                .put("detail", e.detailJson()).toString().getBytes(StandardCharsets.UTF_8);
        RocksCalls.write("audit write",
                () -> db.put(audit, syncWrites, e.id().getBytes(StandardCharsets.US_ASCII), value));
    }

    @Override
    public Page<AuditEntry> list(String cursor, int limit) {
        return NewestFirst.page(db, audit, cursor, limit, RocksDbAuditLog::decode, AuditEntry::id);
    }

    private static AuditEntry decode(String id, byte[] value) {
        try {
            JsonNode n = JSON.readTree(value);
            return new AuditEntry(id, Instant.parse(n.get("at").asText()), n.get("actor").asText(),
                    n.get("address").asText(), n.get("action").asText(), n.get("chargerId").asText(),
                    n.get("detail").asText());
        } catch (IOException | RuntimeException e) {
            throw new StorageException("audit entry " + id + " cannot be read", e);
        }
    }
}
