package io.chargeline.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetiredBrokerStateTest {
    @TempDir
    Path data;

    @Test
    void theOldBrokerDirectory_isRemoved_andNothingElse() throws Exception {
        Path broker = Files.createDirectories(data.resolve("broker/persistence/client_session"));
        Files.writeString(broker.resolve("000001.log"), "session state");
        Path store = Files.createDirectories(data.resolve("store"));
        Files.writeString(store.resolve("CURRENT"), "MANIFEST-000001");

        RetiredBrokerState.remove(data);

        assertThat(data.resolve("broker")).doesNotExist();
        assertThat(store.resolve("CURRENT")).hasContent("MANIFEST-000001");
    }

    @Test
    void aDataDirectoryWithoutOne_isLeftAsItIs() throws Exception {
        Files.writeString(data.resolve("admin.key"), "key");

        RetiredBrokerState.remove(data);

        assertThat(data.resolve("admin.key")).exists();
    }
}
