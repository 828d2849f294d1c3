package io.chargeline.broker.hivemq;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChargerTopicAuthorizerTest {

    @ParameterizedTest
    @CsvSource({
        "telemetry/CH-1, true",
        "telemetry/CH-10, false",
        "telemetry/CH-, false",
        "telemetry/CH-1/x, false",
        "commands/CH-1, false",
        "telemetry/+, false",
        "TELEMETRY/CH-1, false"
    })
    void publish_onlyToOwnTelemetryTopic(String topic, boolean allowed) {
        assertThat(ChargerTopicAuthorizer.mayPublish("CH-1", topic)).isEqualTo(allowed);
    }

    @ParameterizedTest
    @CsvSource({
        "commands/CH-1/#, true",
        "commands/CH-1, true",
        "commands/CH-1/+, true",
        "commands/CH-1/abc/reply, true",
        "commands/CH-10/#, false",
        "commands/+/#, false",
        "commands/#, false",
        "#, false",
        "telemetry/CH-1, false",
        "$share/g/commands/CH-1/#, false",
        "$chargeline/alarms/#, false",
        "$chargeline/alarms/CH-1, false"
    })
    void subscribe_onlyWithinOwnCommands(String filter, boolean allowed) {
        assertThat(ChargerTopicAuthorizer.maySubscribe("CH-1", filter)).isEqualTo(allowed);
    }

    @ParameterizedTest
    @CsvSource({
        "$chargeline/alarms/#, true",
        "$chargeline/alarms/+, true",
        "$chargeline/alarms/CH-1, true",
        "$chargeline/alarms/CH 1, false",
        "$chargeline/alarms/CH-1/#, false",
        "$chargeline/alarms/+/+, false",
        "$chargeline/#, false",
        "#, false",
        "commands/CH-1/#, false",
        "telemetry/#, false"
    })
    void operator_subscribesOnlyToAlarmTopics(String filter, boolean allowed) {
        assertThat(ChargerTopicAuthorizer.maySubscribe("operator:ops", filter)).isEqualTo(allowed);
    }

    @ParameterizedTest
    @CsvSource({"telemetry/ops", "telemetry/operator:ops", "$chargeline/alarms/CH-1"})
    void operator_publishesNothing(String topic) {
        assertThat(ChargerTopicAuthorizer.mayPublish("operator:ops", topic)).isFalse();
    }
}
