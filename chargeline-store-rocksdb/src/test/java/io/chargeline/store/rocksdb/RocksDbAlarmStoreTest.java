package io.chargeline.store.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.chargeline.core.Page;
import io.chargeline.core.alarm.Alarm;
import io.chargeline.core.alarm.AlarmEvent;
import io.chargeline.core.alarm.AlarmFeed;
import io.chargeline.core.alarm.AlarmQuery;
import io.chargeline.core.alarm.AlarmRule;
import io.chargeline.core.alarm.AlarmState;
import io.chargeline.core.alarm.AlarmStore;
import io.chargeline.core.alarm.ClearReason;
import io.chargeline.core.telemetry.TelemetryRecord;
import io.chargeline.core.webhook.WebhookEventType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RocksDbAlarmStoreTest extends StorageFixture {
    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

    @Test
    void alarms_roundTripEveryField_andSurviveReopen() {
        Alarm alarm = Alarm.silent(id(1), "CH-1", T0.plusSeconds(300), T0.plusSeconds(299), T0.minusNanos(5),
                Duration.ofMinutes(5)).acknowledged(T0.plusSeconds(400), "ops").cleared(T0.plusSeconds(500), ClearReason.CHARGER_REVOKED);
        storage.alarms().save(alarm);

        reopen();

        assertThat(storage.alarms().find(id(1))).contains(alarm);
        assertThat(storage.alarms().find(id(2))).isEmpty();
    }

    @Test
    void eventLog_isReadOldestFirstAfterACursor_survivesReopen_andIsTrimmedByTime() {
        Alarm alarm = Alarm.silent(id(1), "CH-1", T0, T0, T0.minusSeconds(300), Duration.ofMinutes(5));
        List<AlarmEvent> events = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Instant at = T0.plusSeconds(i * 60L);
            AlarmEvent e = new AlarmEvent(String.format("%012x%04x", at.toEpochMilli(), 0),
                    i % 2 == 0 ? WebhookEventType.ALARM_RAISED : WebhookEventType.ALARM_CLEARED, at,
                    i % 2 == 0 ? alarm : alarm.cleared(at, ClearReason.TELEMETRY_RESUMED));
            storage.alarms().save(e.alarm(), e);
            events.add(e);
        }

        reopen();

        AlarmStore alarms = storage.alarms();
        assertThat(alarms.eventsAfter(null, 100)).containsExactlyElementsOf(events);
        assertThat(alarms.eventsAfter(events.get(1).id(), 2)).containsExactly(events.get(2), events.get(3));
        assertThat(alarms.eventsAfter(events.get(4).id(), 10)).isEmpty();
        // a cursor between two ids (an id of an event already trimmed) still finds the next one
        assertThat(alarms.eventsAfter(events.get(1).id().substring(0, 15) + "1", 1)).containsExactly(events.get(2));
        assertThat(alarms.lastEventId()).contains(events.get(4).id());
        assertThat(alarms.find(id(1))).contains(events.get(4).alarm());

        alarms.dropEventsBefore(T0.plusSeconds(120));
        assertThat(alarms.eventsAfter(null, 100)).containsExactlyElementsOf(events.subList(2, 5));
    }

    @Test
    void alarmFeeds_roundTrip_surviveReopen_andAreDeleted() {
        AlarmFeed away = new AlarmFeed("operator:ops", Set.of("$chargeline/alarms/#", "$chargeline/alarms/CH-1"),
                Duration.ofHours(1), "0000018f00000001", T0);
        AlarmFeed fresh = new AlarmFeed("operator:noc", Set.of("$chargeline/alarms/+"), Duration.ofDays(1), null, null);
        storage.alarms().saveFeed(away);
        storage.alarms().saveFeed(fresh);

        reopen();

        assertThat(storage.alarms().feeds()).containsExactlyInAnyOrder(away, fresh);
        storage.alarms().deleteFeed("operator:ops");
        assertThat(storage.alarms().feeds()).containsExactly(fresh);
    }

    @Test
    void thresholdAlarmsAndRules_roundTrip() {
        AlarmRule rule = new AlarmRule(id(7), "battery.soc", AlarmRule.Op.LE, 10.5, Duration.ofSeconds(30), T0);
        storage.alarms().saveRule(rule);
        Alarm alarm = Alarm.threshold(id(8), "CH-1", T0.plusSeconds(30), T0.plusSeconds(30), T0.plusSeconds(29), rule, 9.0);
        storage.alarms().save(alarm);

        reopen();

        assertThat(storage.alarms().rules()).containsExactly(rule);
        assertThat(storage.alarms().find(id(8))).contains(alarm);
        storage.alarms().deleteRule(id(7));
        assertThat(storage.alarms().rules()).isEmpty();
    }

    @Test
    void list_isNewestFirst_filtered_andPagedWithoutGapsOrRepeats() {
        AlarmStore alarms = storage.alarms();
        for (int i = 0; i < 10; i++) {
            Alarm a = Alarm.silent(id(i), i % 2 == 0 ? "CH-even" : "CH-odd", T0.plusSeconds(i), T0, T0, Duration.ofMinutes(5));
            alarms.save(i < 4 ? a.cleared(T0.plusSeconds(100), ClearReason.TELEMETRY_RESUMED) : a);
        }

        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            Page<Alarm> page = alarms.list(new AlarmQuery(null, null, null, 3, cursor));
            page.items().forEach(a -> seen.add(a.id()));
            cursor = page.nextCursor();
        } while (cursor != null);

        assertThat(seen).containsExactly(id(9), id(8), id(7), id(6), id(5), id(4), id(3), id(2), id(1), id(0));
        assertThat(alarms.list(new AlarmQuery(AlarmState.ACTIVE, "CH-even", null, 100, null)).items())
                .extracting(Alarm::id).containsExactly(id(8), id(6), id(4));
        assertThat(alarms.list(new AlarmQuery(AlarmState.CLEARED, null, null, 100, null)).items()).hasSize(4);
        assertThat(alarms.active()).hasSize(6);
    }

    @Test
    void silenceThresholds_areSetAndRemoved_durably() {
        storage.alarms().saveSilenceThreshold("CH-1", Duration.ofMinutes(2));
        storage.alarms().saveSilenceThreshold("CH-2", Duration.ofMinutes(9));
        storage.alarms().saveSilenceThreshold("CH-2", null);

        reopen();

        assertThat(storage.alarms().silenceThresholds()).containsExactlyEntriesOf(java.util.Map.of("CH-1", Duration.ofMinutes(2)));
    }

    @Test
    void livenessMark_isKeptAcrossReopen() {
        assertThat(storage.alarms().lastAlive()).isEmpty();
        storage.alarms().markAlive(T0);

        reopen();

        assertThat(storage.alarms().lastAlive()).contains(T0);
    }

    @Test
    void lastReceived_isTheNewestReceiveTime_notTheNewestTimestamp_andSurvivesReopen() {
        // the second record carries an older timestamp but arrived later: liveness follows arrival
        storage.telemetry().commit(List.of(new TelemetryRecord("CH-1", T0, null, T0.plusSeconds(1), T0.plusSeconds(1))), List.of());
        storage.telemetry().commit(List.of(
                new TelemetryRecord("CH-1", T0.minusSeconds(3600), null, T0.plusSeconds(60), T0.plusSeconds(60))), List.of());

        reopen();

        assertThat(storage.telemetry().lastReceived()).containsEntry("CH-1", T0.plusSeconds(60));
        assertThat(storage.telemetry().latest("CH-1")).get().satisfies(r -> assertThat(r.timestamp()).isEqualTo(T0));
    }

    private static String id(int i) {
        return String.format("%012x%04x", T0.toEpochMilli(), i);
    }
}
