package io.chargeline.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.chargeline.store.rocksdb.RocksDbStorage;
import io.chargeline.tools.bench.AlarmBench;
import io.chargeline.tools.bench.ConnectionsBench;
import io.chargeline.tools.bench.IngestBench;
import io.chargeline.tools.bench.LoadSettings;
import io.chargeline.tools.bench.QueryBench;
import io.chargeline.tools.bench.ServerLaunch;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A small run of the benchmark harness itself: both targets measured, every acknowledged message verified. */
class IngestBenchIT {
    @TempDir
    Path dir;

    @Test
    void smallRun_againstChargelineAndMosquitto_measuresBoth_andFindsNothingLost() throws Exception {
        LoadSettings load = new LoadSettings(5, Duration.ofSeconds(3), Duration.ofSeconds(1), 1, 4, 200);
        List<String> progress = new ArrayList<>();
        IngestBench.Settings settings = new IngestBench.Settings(load, "mosquitto", dir,
                new ServerLaunch(Path.of("target", "chargeline.jar").toAbsolutePath(), List.of("-Xmx512m")));

        IngestBench.Outcome outcome = new IngestBench(settings, progress::add).run();

        assertThat(outcome.chargeline().acked()).isPositive();
        assertThat(outcome.chargeline().ackedPerSecond()).isPositive();
        assertThat(outcome.chargeline().pubackMillis().count()).isPositive();
        assertThat(outcome.verification().acked()).isEqualTo(outcome.chargeline().acked());
        assertThat(outcome.verification().lostNothing()).isTrue();
        assertThat(outcome.peer().acked()).isPositive();
        assertThat(outcome.chargeline().failed() + outcome.peer().failed()).isZero();
        String table = IngestBench.table(outcome, load);
        assertThat(table).contains("Chargeline", "Mosquitto", "ratio", "acked but not stored", "0 (none)");
        assertThat(progress).anySatisfy(line -> assertThat(line).contains("verifying"));
        assertThat(IngestBench.plot(outcome, dir)).allSatisfy(png ->
                assertThat(javax.imageio.ImageIO.read(png.toFile()).getWidth()).isPositive());
    }

    @Test
    void pacedRun_sendsAtMostWhatIsDue_andFindsNothingLost() throws Exception {
        LoadSettings load = new LoadSettings(4, Duration.ofSeconds(2), Duration.ofSeconds(1), 1, 4, 200, 100);
        IngestBench.Settings settings = new IngestBench.Settings(load, null, dir,
                new ServerLaunch(Path.of("target", "chargeline.jar").toAbsolutePath(), List.of("-Xmx512m")));
        long started = System.nanoTime();

        IngestBench.Outcome outcome = new IngestBench(settings, line -> {}).run();

        double elapsedSeconds = (System.nanoTime() - started) / 1e9;
        assertThat(outcome.chargeline().acked()).isPositive();
        // the pacer never sends ahead of rate x elapsed, whatever the machine's speed
        assertThat(outcome.chargeline().sent()).isLessThanOrEqualTo((long) (100 * elapsedSeconds) + 1);
        assertThat(outcome.verification().lostNothing()).isTrue();
        assertThat(outcome.peer()).isNull();
    }

    @Test
    void connectionsRun_holdsEveryConnection_onBothServers() throws Exception {
        ConnectionsBench.Settings settings = new ConnectionsBench.Settings(10, 5, Duration.ofMillis(200), "mosquitto",
                dir, new ServerLaunch(Path.of("target", "chargeline.jar").toAbsolutePath(), List.of("-Xmx512m")));

        ConnectionsBench.Outcome outcome = new ConnectionsBench(settings, line -> {}).run();

        assertThat(outcome.chargeline().connected()).isEqualTo(10);
        assertThat(outcome.peer().connected()).isEqualTo(10);
        assertThat(outcome.chargeline().failed() + outcome.peer().failed()).isZero();
        assertThat(outcome.chargeline().connectedRssMiB()).isPositive();
        assertThat(ConnectionsBench.table(outcome)).contains("RSS per 1000 conns MiB");
    }

    @Test
    void queryRun_readsLatestAndHistoryWhileIngesting_withoutErrors() throws Exception {
        LoadSettings ingest = new LoadSettings(5, Duration.ofSeconds(6), Duration.ofSeconds(1), 1, 4, 200, 100);
        QueryBench.Settings settings = new QueryBench.Settings(ingest, 2, new IngestBench.Settings(ingest, null, dir,
                new ServerLaunch(Path.of("target", "chargeline.jar").toAbsolutePath(), List.of("-Xmx512m"))));

        QueryBench.Outcome outcome = new QueryBench(settings, line -> {}).run();

        assertThat(outcome.errors()).as(String.valueOf(outcome.errorsByKind())).isZero();
        assertThat(outcome.latency()).allSatisfy((read, l) -> assertThat(l.count()).as(read.label()).isPositive());
        assertThat(outcome.ingest().acked()).isPositive();
        assertThat(QueryBench.table(outcome, settings)).contains("latest", "1-hour history", "5-min buckets", "fleet");
    }

    @Test
    void alarmBench_smallRun_raisesEveryAlarm_andReportsLateness() throws Exception {
        AlarmBench.Settings settings = new AlarmBench.Settings(500, Duration.ofSeconds(1), Duration.ofSeconds(30));
        AlarmBench.Outcome outcome;
        try (RocksDbStorage storage = RocksDbStorage.open(dir.resolve("store"), Duration.ofDays(1), 10)) {
            outcome = new AlarmBench(settings, line -> {}).run(storage.alarms());
            assertThat(storage.alarms().active()).hasSize(500);
        }

        assertThat(outcome.raised()).isEqualTo(500);
        assertThat(outcome.latenessMillis().count()).isEqualTo(500);
        assertThat(outcome.latenessMillis().max()).isGreaterThanOrEqualTo(0);
        assertThat(outcome.arrivalNanos()).isPositive();
        assertThat(AlarmBench.table(outcome, settings)).contains("500 of 500", "lateness max ms");
    }
}
