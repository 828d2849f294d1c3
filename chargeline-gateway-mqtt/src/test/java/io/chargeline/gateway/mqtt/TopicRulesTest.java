package io.chargeline.gateway.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The topic rules, ported from the HiveMQ gateway's ChargerTopicAuthorizerTest and extended to replies and matching. */
class TopicRulesTest {

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
        assertThat(TopicRules.mayPublish("CH-1", topic)).isEqualTo(allowed);
    }

    @ParameterizedTest
    @CsvSource({
        "commands/CH-1/0000018f00000001/reply, true",
        "commands/CH-10/0000018f00000001/reply, false",
        "commands/CH-1/0000018f00000001, false",
        "commands/CH-1/not-a-command-id/reply, false",
        "commands/CH-1/0000018F00000001/reply, false",
        "commands/CH-1/+/reply, false",
        "commands/CH-1/0000018f00000001/reply/x, false"
    })
    void publish_toOwnCommandReplies_withAWellFormedCommandId(String topic, boolean allowed) {
        assertThat(TopicRules.mayPublish("CH-1", topic)).isEqualTo(allowed);
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
        assertThat(TopicRules.maySubscribe("CH-1", filter)).isEqualTo(allowed);
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
        assertThat(TopicRules.maySubscribe("operator:ops", filter)).isEqualTo(allowed);
    }

    @ParameterizedTest
    @CsvSource({"telemetry/ops", "telemetry/operator:ops", "$chargeline/alarms/CH-1",
        "commands/operator:ops/0000018f00000001/reply"})
    void operator_publishesNothing(String topic) {
        assertThat(TopicRules.mayPublish("operator:ops", topic)).isFalse();
    }

    @Test
    void refusals_sayWhatIsAllowed() {
        assertThat(TopicRules.whyNotPublish("CH-1")).contains("telemetry/CH-1", "commands/CH-1/{commandId}/reply");
        assertThat(TopicRules.whyNotPublish("operator:ops")).isEqualTo("operator clients may not publish");
        assertThat(TopicRules.whyNotSubscribe("CH-1")).contains("commands/CH-1/#");
        assertThat(TopicRules.whyNotSubscribe("operator:ops")).contains("$chargeline/alarms/#",
                "$chargeline/alarms/+", "$chargeline/alarms/{chargerId}");
    }

    @ParameterizedTest
    @CsvSource({
        "commands/CH-1/#, commands/CH-1/0000018f00000001, true",
        "commands/CH-1/#, commands/CH-1, true",
        "commands/CH-1/#, commands/CH-10/0000018f00000001, false",
        "commands/CH-1/+, commands/CH-1/0000018f00000001, true",
        "commands/CH-1/+, commands/CH-1/0000018f00000001/reply, false",
        "commands/CH-1/+, commands/CH-1, false",
        "commands/CH-1, commands/CH-1, true",
        "commands/CH-1, commands/CH-1/0000018f00000001, false",
        "$chargeline/alarms/#, $chargeline/alarms/CH-9, true",
        "$chargeline/alarms/+, $chargeline/alarms/CH-9, true",
        "$chargeline/alarms/CH-9, $chargeline/alarms/CH-9, true",
        "$chargeline/alarms/CH-9, $chargeline/alarms/CH-90, false",
        "$chargeline/alarms/CH-90, $chargeline/alarms/CH-9, false",
        "#, commands/CH-1/0000018f00000001, true",
        "+/+/+, commands/CH-1/0000018f00000001, true",
        "+/+, commands/CH-1/0000018f00000001, false",
        "+/CH-1/#, commands/CH-1/0000018f00000001/reply, true",
        // MQTT 4.7.2: topics starting with $ are not matched by a filter that starts with a wildcard
        "#, $chargeline/alarms/CH-9, false",
        "+/alarms/CH-9, $chargeline/alarms/CH-9, false"
    })
    void matches_asMqttTopicFiltersDo(String filter, String topic, boolean matches) {
        assertThat(TopicRules.matches(filter, topic)).isEqualTo(matches);
    }
}
