package io.chargeline.store.rocksdb;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A fresh store in a temporary directory for each test (90-day retention, 5 dead letters), reopenable. */
abstract class StorageFixture {
    @TempDir
    Path dir;

    RocksDbStorage storage;

    @BeforeEach
    void open() {
        storage = RocksDbStorage.open(dir, Duration.ofDays(90), 5);
    }

    @AfterEach
    void close() {
        storage.close();
    }

    /** Closes and opens the store again, as a restart would. */
    void reopen() {
        storage.close();
        storage = RocksDbStorage.open(dir, Duration.ofDays(90), 5);
    }
}
