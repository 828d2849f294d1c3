package io.chargeline.store.rocksdb;

import io.chargeline.core.presence.Presence;
import io.chargeline.core.presence.PresenceListener.DisconnectReason;
import io.chargeline.core.presence.PresenceLog;
import io.chargeline.core.timing.TimeOrderedIds;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteOptions;

/**
 * Connection events in {@code presence}, keyed {@code chargerId/eventId} (time-ordered), value: connected
 * flag, time, reason. Each charger's history is trimmed to the newest {@link #KEPT_PER_CHARGER} now and then.
 */
final class RocksDbPresenceLog implements PresenceLog {
    private static final int TRIM_EVERY = 50;

    private final RocksDB db;
    private final ColumnFamilyHandle presence;
    private final WriteOptions unsyncedWrites;
    private final TimeOrderedIds ids = new TimeOrderedIds();
    private final ConcurrentHashMap<String, Integer> sinceTrim = new ConcurrentHashMap<>();

    RocksDbPresenceLog(RocksDB db, ColumnFamilyHandle presence, WriteOptions unsyncedWrites) {
        this.db = db;
        this.presence = presence;
        this.unsyncedWrites = unsyncedWrites;
    }

    @Override
    public void record(Presence.Event e) {
        byte[] reason = e.reason() == null ? new byte[0] : e.reason().name().getBytes(StandardCharsets.US_ASCII);
        byte[] value = ByteBuffer.allocate(1 + 8 + reason.length)
                .put((byte) (e.connected() ? 1 : 0)).putLong(e.at().toEpochMilli()).put(reason).array();
        RocksCalls.write("presence write", () -> {
            db.put(presence, unsyncedWrites, bytes(e.chargerId() + "/" + ids.next(e.at())), value);
            if (sinceTrim.merge(e.chargerId(), 1, Integer::sum) >= TRIM_EVERY) {
                sinceTrim.remove(e.chargerId());
                trim(e.chargerId());
            }
        });
    }

    @Override
    public List<Presence.Event> history(String chargerId, int limit) {
        byte[] prefix = bytes(chargerId + "/");
        List<Presence.Event> out = new ArrayList<>();
        try (RocksIterator it = db.newIterator(presence)) {
            for (it.seekForPrev(bytes(chargerId + "0")); it.isValid() && startsWith(it.key(), prefix)
                    && out.size() < limit; it.prev()) {
                out.add(decode(chargerId, it.value()));
            }
        }
        return out;
    }

    private void trim(String chargerId) throws RocksDBException {
        byte[] prefix = bytes(chargerId + "/");
        byte[] oldestKept = null;
        int seen = 0;
        try (RocksIterator it = db.newIterator(presence)) {
            for (it.seekForPrev(bytes(chargerId + "0")); it.isValid() && startsWith(it.key(), prefix); it.prev()) {
                if (++seen == KEPT_PER_CHARGER) {
                    oldestKept = it.key();
                    break;
                }
            }
        }
        if (oldestKept != null) {
            db.deleteRange(presence, unsyncedWrites, prefix, oldestKept);
        }
    }

    private static Presence.Event decode(String chargerId, byte[] value) {
        ByteBuffer buf = ByteBuffer.wrap(value);
        boolean connected = buf.get() == 1;
        Instant at = Instant.ofEpochMilli(buf.getLong());
        byte[] reason = new byte[buf.remaining()];
        buf.get(reason);
        return new Presence.Event(chargerId, connected, at,
                reason.length == 0 ? null : DisconnectReason.valueOf(new String(reason, StandardCharsets.US_ASCII)));
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
