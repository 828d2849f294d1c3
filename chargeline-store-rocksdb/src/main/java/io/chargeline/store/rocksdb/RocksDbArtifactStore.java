package io.chargeline.store.rocksdb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chargeline.core.Page;
import io.chargeline.core.StorageException;
import io.chargeline.core.artifact.Artifact;
import io.chargeline.core.artifact.ArtifactStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteOptions;

/** Artifact metadata in {@code artifacts} by id (time-ordered), as JSON; every write synced. */
final class RocksDbArtifactStore implements ArtifactStore {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RocksDB db;
    private final ColumnFamilyHandle artifacts;
    private final WriteOptions syncWrites;

    RocksDbArtifactStore(RocksDB db, ColumnFamilyHandle artifacts, WriteOptions syncWrites) {
        this.db = db;
        this.artifacts = artifacts;
        this.syncWrites = syncWrites;
    }

    @Override
    public void save(Artifact a) {
        byte[] value = JSON.createObjectNode().put("name", a.name()).put("size", a.size()).put("sha256", a.sha256())
                .put("createdAt", a.createdAt().toString()).toString().getBytes(StandardCharsets.UTF_8);
        RocksCalls.write("artifact write", () -> db.put(artifacts, syncWrites, bytes(a.id()), value));
    }

    @Override
    public Optional<Artifact> find(String id) {
        byte[] value = RocksCalls.read("artifact read", () -> db.get(artifacts, bytes(id)));
        return value == null ? Optional.empty() : Optional.of(decode(id, value));
    }

    @Override
    public Page<Artifact> list(String cursor, int limit) {
        return NewestFirst.page(db, artifacts, cursor, limit, RocksDbArtifactStore::decode, Artifact::id);
    }

    @Override
    public void delete(String id) {
        RocksCalls.write("artifact delete", () -> db.delete(artifacts, syncWrites, bytes(id)));
    }

    private static Artifact decode(String id, byte[] value) {
        try {
            JsonNode row = JSON.readTree(value);
            return new Artifact(id, row.get("name").asText(), row.get("size").asLong(), row.get("sha256").asText(),
                    Instant.parse(row.get("createdAt").asText()));
        } catch (IOException | RuntimeException e) {
            throw new StorageException("artifact " + id + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
