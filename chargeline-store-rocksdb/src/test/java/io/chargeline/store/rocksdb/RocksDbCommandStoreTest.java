package io.chargeline.store.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.chargeline.core.Page;
import io.chargeline.core.command.Command;
import io.chargeline.core.command.CommandStatus;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RocksDbCommandStoreTest extends StorageFixture {
    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

    @Test
    void commands_roundTrip_listNewestFirst_byStatus_andOnlyOpenOnesAreOpen_acrossReopen() {
        Command first = command("0000000000000001", "CH-1");
        Command second = command("0000000000000002", "CH-1").movedTo(CommandStatus.SUCCEEDED, T0.plusSeconds(2))
                .withResult("{\"uptime\":12}");
        Command third = command("0000000000000003", "CH-1").movedTo(CommandStatus.SENT, T0.plusSeconds(3));
        Command other = command("0000000000000004", "CH-10");
        for (Command c : new Command[] {first, second, third, other}) {
            storage.commands().save(c);
        }

        reopen();

        assertThat(storage.commands().find("CH-1", second.id())).contains(second);
        assertThat(storage.commands().find("CH-10", second.id())).isEmpty();
        Page<Command> page1 = storage.commands().list("CH-1", null, null, 2);
        assertThat(page1.items()).extracting(Command::id).containsExactly(third.id(), second.id());
        Page<Command> page2 = storage.commands().list("CH-1", null, page1.nextCursor(), 2);
        assertThat(page2.items()).extracting(Command::id).containsExactly(first.id());
        assertThat(page2.nextCursor()).isNull();
        assertThat(storage.commands().list("CH-1", CommandStatus.QUEUED, null, 10).items()).containsExactly(first);
        assertThat(storage.commands().open()).extracting(Command::id)
                .containsExactlyInAnyOrder(first.id(), third.id(), other.id());
        assertThat(second.transitions()).extracting(Command.Transition::status)
                .containsExactly(CommandStatus.QUEUED, CommandStatus.SENT, CommandStatus.DELIVERED, CommandStatus.SUCCEEDED);
    }

    @Test
    void retention_deletesFinishedCommandsLastChangedBeforeTheCutoff_andKeepsOpenOnesWhateverTheirAge() {
        Command oldFinished = command("0000000000000001", "CH-1").movedTo(CommandStatus.SUCCEEDED, T0.plusSeconds(10));
        Command oldOpen = command("0000000000000002", "CH-1").movedTo(CommandStatus.SENT, T0.plusSeconds(10));
        Command recentFinished = command("0000000000000003", "CH-2").movedTo(CommandStatus.FAILED, T0.plusSeconds(100));
        Command atCutoff = command("0000000000000004", "CH-2").movedTo(CommandStatus.EXPIRED, T0.plusSeconds(50));
        for (Command c : new Command[] {oldFinished, oldOpen, recentFinished, atCutoff}) {
            storage.commands().save(c);
        }
        // enough old finished ones that deletion takes more than one batch
        for (int i = 0; i < 2_500; i++) {
            storage.commands().save(command(String.format("1%015d", i), "CH-3").movedTo(CommandStatus.CANCELLED, T0));
        }

        int deleted = storage.commands().deleteFinishedBefore(T0.plusSeconds(50));
        reopen();

        assertThat(deleted).isEqualTo(2_501);
        assertThat(storage.commands().find("CH-1", oldFinished.id())).isEmpty();
        assertThat(storage.commands().find("CH-1", oldOpen.id())).contains(oldOpen);
        assertThat(storage.commands().find("CH-2", recentFinished.id())).contains(recentFinished);
        assertThat(storage.commands().find("CH-2", atCutoff.id())).contains(atCutoff);
        assertThat(storage.commands().list("CH-3", null, null, 10).items()).isEmpty();
        assertThat(storage.commands().open()).containsExactly(oldOpen);
        assertThat(storage.commands().deleteFinishedBefore(T0.plusSeconds(50))).isZero();
    }

    private static Command command(String id, String chargerId) {
        return Command.queued(id, chargerId, "reboot", "{\"delay\":5}", T0, T0.plusSeconds(3600));
    }
}
