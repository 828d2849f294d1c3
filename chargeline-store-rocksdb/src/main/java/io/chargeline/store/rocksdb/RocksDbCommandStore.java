package io.chargeline.store.rocksdb;

import io.chargeline.core.Page;
import io.chargeline.core.command.Command;
import io.chargeline.core.command.CommandStatus;
import io.chargeline.core.command.CommandStore;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * Commands in {@code commands}, keyed {@code chargerId/commandId} (ids are time-ordered, so a charger's commands
 * are in issue order), and the ids of those not yet final in {@code commands-open} (value: the charger id), in
 * the same synced batch.
 */
final class RocksDbCommandStore implements CommandStore {
    /** A status filter reads at most this many rows per page before it returns what it found. */
    private static final int MAX_SCANNED = 10_000;
    private static final int DELETE_BATCH = 1_000;

    private final RocksDB db;
    private final ColumnFamilyHandle commands;
    private final ColumnFamilyHandle openIds;
    private final WriteOptions syncWrites;

    RocksDbCommandStore(RocksDB db, ColumnFamilyHandle commands, ColumnFamilyHandle openIds, WriteOptions syncWrites) {
        this.db = db;
        this.commands = commands;
        this.openIds = openIds;
        this.syncWrites = syncWrites;
    }

    @Override
    public void save(Command c) {
        RocksCalls.write("command write", () -> {
            try (WriteBatch batch = new WriteBatch()) {
                batch.put(commands, key(c.chargerId(), c.id()), CommandCodec.encode(c));
                if (c.status().isFinal()) {
                    batch.delete(openIds, bytes(c.id()));
                } else {
                    batch.put(openIds, bytes(c.id()), bytes(c.chargerId()));
                }
                db.write(syncWrites, batch);
            }
        });
    }

    @Override
    public Optional<Command> find(String chargerId, String commandId) {
        byte[] value = RocksCalls.read("command read", () -> db.get(commands, key(chargerId, commandId)));
        return value == null ? Optional.empty() : Optional.of(CommandCodec.decode(commandId, chargerId, value));
    }

    @Override
    public Page<Command> list(String chargerId, CommandStatus status, String cursor, int limit) {
        byte[] prefix = bytes(chargerId + "/");
        List<Command> out = new ArrayList<>();
        String last = null;
        int scanned = 0;
        try (RocksIterator it = db.newIterator(commands)) {
            if (cursor == null) {
                it.seekForPrev(bytes(chargerId + "0")); // '0' sorts right after '/': the newest of this charger
            } else {
                NewestFirst.seekBefore(it, key(chargerId, cursor));
            }
            for (; it.isValid() && startsWith(it.key(), prefix); it.prev()) {
                String id = new String(it.key(), prefix.length, it.key().length - prefix.length, StandardCharsets.US_ASCII);
                if (out.size() == limit || scanned == MAX_SCANNED) {
                    return new Page<>(out, last);
                }
                scanned++;
                last = id;
                Command c = CommandCodec.decode(id, chargerId, it.value());
                if (status == null || c.status() == status) {
                    out.add(c);
                }
            }
        }
        return new Page<>(out, null);
    }

    @Override
    public List<Command> open() {
        List<Command> out = new ArrayList<>();
        try (RocksIterator it = db.newIterator(openIds)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                String id = new String(it.key(), StandardCharsets.US_ASCII);
                find(new String(it.value(), StandardCharsets.US_ASCII), id).ifPresent(out::add);
            }
        }
        return out;
    }

    /** One pass over every command; deletions go in synced batches of {@link #DELETE_BATCH}. */
    @Override
    public int deleteFinishedBefore(Instant cutoff) {
        int deleted = 0;
        List<byte[]> doomed = new ArrayList<>();
        try (RocksIterator it = db.newIterator(commands)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                String key = new String(it.key(), StandardCharsets.US_ASCII);
                int slash = key.indexOf('/');
                Command c = CommandCodec.decode(key.substring(slash + 1), key.substring(0, slash), it.value());
                if (c.status().isFinal() && c.updatedAt().isBefore(cutoff)) {
                    doomed.add(it.key());
                }
                if (doomed.size() == DELETE_BATCH) {
                    deleted += delete(doomed);
                }
            }
        }
        return deleted + delete(doomed);
    }

    private int delete(List<byte[]> keys) {
        int n = keys.size();
        if (n > 0) {
            RocksCalls.write("command retention", () -> {
                try (WriteBatch batch = new WriteBatch()) {
                    for (byte[] key : keys) {
                        batch.delete(commands, key);
                    }
                    db.write(syncWrites, batch);
                }
            });
            keys.clear();
        }
        return n;
    }

    private static byte[] key(String chargerId, String commandId) {
        return bytes(chargerId + "/" + commandId);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }
}
