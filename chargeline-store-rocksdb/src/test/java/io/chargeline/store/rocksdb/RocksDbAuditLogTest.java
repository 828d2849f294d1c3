package io.chargeline.store.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.chargeline.core.Page;
import io.chargeline.core.audit.AuditEntry;
import io.chargeline.core.timing.TimeOrderedIds;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RocksDbAuditLogTest extends StorageFixture {
    private final TimeOrderedIds ids = new TimeOrderedIds();

    @Test
    void entries_areListedNewestFirst_inPages_andSurviveARestart() {
        Instant t0 = Instant.parse("2026-12-03T10:00:00Z");
        for (int i = 0; i < 5; i++) {
            storage.audit().append(new AuditEntry(ids.next(t0.plusSeconds(i)), t0.plusSeconds(i), "admin", "127.0.0.1",
                    "telemetry.delete", "CH-" + i, "{\"count\":" + i + "}"));
        }
        reopen();

        Page<AuditEntry> first = storage.audit().list(null, 3);
        Page<AuditEntry> second = storage.audit().list(first.nextCursor(), 3);

        assertThat(first.items()).extracting(AuditEntry::chargerId).containsExactly("CH-4", "CH-3", "CH-2");
        assertThat(second.items()).extracting(AuditEntry::chargerId).containsExactly("CH-1", "CH-0");
        assertThat(second.nextCursor()).isNull();
        AuditEntry e = second.items().get(1);
        assertThat(e.at()).isEqualTo(t0);
        assertThat(e.actor()).isEqualTo("admin");
        assertThat(e.address()).isEqualTo("127.0.0.1");
        assertThat(e.action()).isEqualTo("telemetry.delete");
        assertThat(e.detailJson()).isEqualTo("{\"count\":0}");
    }
}
