package io.chargeline.store.rocksdb;

import io.chargeline.core.Page;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksIterator;

/** Paging backwards over time-ordered keys: newest first, resuming after a cursor key. */
final class NewestFirst {
    private NewestFirst() {}

    /** Positions {@code it} at the last key, or at the one just before {@code cursorKey} when it is not null. */
    static void seekBefore(RocksIterator it, byte[] cursorKey) {
        if (cursorKey == null) {
            it.seekToLast();
            return;
        }
        it.seekForPrev(cursorKey);
        if (it.isValid() && Arrays.equals(it.key(), cursorKey)) {
            it.prev();
        }
    }

    /** A page of a whole family keyed by id, newest first; the next cursor is the last id returned. */
    static <T> Page<T> page(RocksDB db, ColumnFamilyHandle family, String cursor, int limit,
            BiFunction<String, byte[], T> decode, Function<T, String> idOf) {
        List<T> out = new ArrayList<>();
        try (RocksIterator it = db.newIterator(family)) {
            for (seekBefore(it, cursor == null ? null : cursor.getBytes(StandardCharsets.US_ASCII)); it.isValid(); it.prev()) {
                if (out.size() == limit) {
                    return new Page<>(out, idOf.apply(out.get(out.size() - 1)));
                }
                out.add(decode.apply(new String(it.key(), StandardCharsets.US_ASCII), it.value()));
            }
        }
        return new Page<>(out, null);
    }
}
