package io.chargeline.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminKeyTest {
    @TempDir
    Path dir;

    @Test
    void firstLoad_createsARandomKeyOwnerOnly_andLaterLoadsReuseIt() throws Exception {
        AdminKey.Loaded first = AdminKey.load(dir, null);
        AdminKey.Loaded second = AdminKey.load(dir, null);

        assertThat(first.created()).isTrue();
        assertThat(first.key()).startsWith("cl_").hasSizeGreaterThan(40);
        assertThat(second.created()).isFalse();
        assertThat(second.key()).isEqualTo(first.key());
        assertThat(Files.getPosixFilePermissions(dir.resolve(AdminKey.FILE)))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    }

    @Test
    void environmentKey_winsAndNothingIsWritten() {
        AdminKey.Loaded loaded = AdminKey.load(dir, "from-the-environment-123");

        assertThat(loaded.key()).isEqualTo("from-the-environment-123");
        assertThat(loaded.created()).isFalse();
        assertThat(dir.resolve(AdminKey.FILE)).doesNotExist();
    }
}
