package io.chargeline.store.rocksdb;

import io.chargeline.core.StorageException;
import org.rocksdb.RocksDBException;

/** Runs a RocksDB call and turns its checked failure into a {@link StorageException} that says what failed. */
final class RocksCalls {
    private RocksCalls() {}

    interface Write {
        void run() throws RocksDBException;
    }

    interface Read<T> {
        T run() throws RocksDBException;
    }

    static void write(String what, Write call) {
        try {
            call.run();
        } catch (RocksDBException e) {
            throw new StorageException(what + " failed: " + e.getMessage(), e);
        }
    }

    static <T> T read(String what, Read<T> call) {
        try {
            return call.run();
        } catch (RocksDBException e) {
            throw new StorageException(what + " failed: " + e.getMessage(), e);
        }
    }
}
