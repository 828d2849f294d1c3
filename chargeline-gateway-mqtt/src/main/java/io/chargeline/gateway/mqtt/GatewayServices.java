package io.chargeline.gateway.mqtt;

import io.chargeline.core.command.CommandInbox;
import io.chargeline.core.device.DeviceService;
import io.chargeline.core.device.GatewayMetrics;
import io.chargeline.core.presence.PresenceListener;
import io.chargeline.core.telemetry.IngestPipeline;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.function.Predicate;

/**
 * What every connection's handlers share.
 *
 * @param presence told of charger connects and disconnects, on a thread of its own (it writes the presence log)
 * @param alarmLog operators' persistent feeds and the alarm event log, off the event loops
 */
record GatewayServices(
        IngestPipeline pipeline,
        DeviceService devices,
        DeviceService operators,
        Predicate<X509Certificate> issuedByOurCa,
        GatewayMetrics metrics,
        PresenceListener presence,
        CommandInbox commands,
        Clock clock,
        MqttGatewaySettings.Limits limits,
        Sessions sessions,
        AlarmLog alarmLog,
        AlarmTopic alarmTopic) {}
