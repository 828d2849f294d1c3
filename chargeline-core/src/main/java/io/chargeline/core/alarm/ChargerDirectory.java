package io.chargeline.core.alarm;

import io.chargeline.core.NotFoundException;
import io.chargeline.core.Page;
import io.chargeline.core.device.Device;
import io.chargeline.core.device.DeviceService;
import io.chargeline.core.presence.Presence;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Provisioned chargers with their status, last contact and alarms, for the operator API. */
public final class ChargerDirectory {
    /** One charger as listed. {@code lastSeen} is the receive time of its last telemetry. */
    public record ChargerView(
            String chargerId,
            ChargerStatus status,
            boolean revoked,
            Instant lastSeen,
            Optional<Presence.Event> lastConnection,
            int activeAlarms,
            Duration silenceThreshold,
            boolean silenceThresholdOverridden) {}

    /** How many registry entries one listing may look at to fill a filtered page. */
    private static final int MAX_SCANNED = 100_000;

    private final DeviceService devices;
    private final Presence presence;
    private final SilenceDetector detector;
    private final AlarmBook alarms;

    public ChargerDirectory(DeviceService devices, Presence presence, SilenceDetector detector, AlarmBook alarms) {
        this.devices = devices;
        this.presence = presence;
        this.detector = detector;
        this.alarms = alarms;
    }

    public ChargerView get(String chargerId) {
        Device device = devices.find(chargerId)
                .orElseThrow(() -> new NotFoundException("charger " + chargerId + " is not provisioned"));
        return view(device);
    }

    /**
     * Chargers in id order, optionally only those with {@code status}. A filtered page may hold fewer than
     * {@code limit} while a cursor says there is more: the scan stops after {@link #MAX_SCANNED} chargers.
     */
    public Page<ChargerView> list(ChargerStatus status, String afterChargerId, int limit) {
        List<ChargerView> out = new ArrayList<>();
        String cursor = afterChargerId;
        int scanned = 0;
        while (out.size() < limit && scanned < MAX_SCANNED) {
            Page<Device> page = devices.list(cursor, Math.min(1000, Math.max(limit, 100)));
            for (Device d : page.items()) {
                scanned++;
                cursor = d.chargerId();
                ChargerView v = view(d);
                if (status == null || v.status() == status) {
                    out.add(v);
                    if (out.size() == limit) {
                        return new Page<>(out, cursor);
                    }
                }
            }
            if (page.nextCursor() == null) {
                return new Page<>(out, null);
            }
        }
        return new Page<>(out, cursor);
    }

    /** The charger's connects and disconnects, newest first. */
    public List<Presence.Event> presenceHistory(String chargerId, int limit) {
        return presence.history(chargerId, limit);
    }

    private ChargerView view(Device d) {
        String id = d.chargerId();
        Instant lastSeen = detector.lastSeen(id).orElse(null);
        Optional<Presence.Event> connection = presence.last(id);
        boolean connected = presence.isConnected(id);
        boolean silent = alarms.active(id, AlarmType.SILENT).isPresent();
        ChargerStatus status;
        if (connected) {
            status = silent ? ChargerStatus.silent : ChargerStatus.online;
        } else if (lastSeen != null || connection.isPresent()) {
            status = ChargerStatus.offline;
        } else {
            status = ChargerStatus.never_seen;
        }
        return new ChargerView(id, status, d.isRevoked(), lastSeen, connection, alarms.activeCount(id),
                detector.threshold(id), detector.hasOverride(id));
    }
}
