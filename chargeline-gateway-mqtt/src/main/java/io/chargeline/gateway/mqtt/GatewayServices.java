package io.chargeline.gateway.mqtt;

import io.chargeline.core.DeviceService;
import io.chargeline.core.GatewayMetrics;
import io.chargeline.core.IngestPipeline;
import io.chargeline.core.PresenceListener;
import io.chargeline.core.command.CommandInbox;
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
