package io.chargeline.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class PlatformConfigTest {

    @ParameterizedTest
    @ValueSource(ints = {-1, 65536})
    void portOutOfRange_namesTheFlag(int port) {
        assertThatThrownBy(() -> config(port, Duration.ofDays(90), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--mqtt-port");
    }

    @Test
    void retentionBelowADay_isRefused() {
        assertThatThrownBy(() -> config(8883, Duration.ofHours(12), null)).hasMessageContaining("--retention");
    }

    @Test
    void shortAdminKey_isRefused_andTheKeyNeverAppearsInToString() {
        assertThatThrownBy(() -> config(8883, Duration.ofDays(90), "short")).hasMessageContaining("16 characters");

        assertThat(config(8883, Duration.ofDays(90), "a-long-enough-secret-key").toString())
                .doesNotContain("a-long-enough-secret-key");
    }

    @Test
    void start_withUnparseableRetention_failsWithAClearMessage() {
        CommandLine cli = ChargelineCli.commandLine();
        java.io.StringWriter err = new java.io.StringWriter();
        cli.setErr(new java.io.PrintWriter(err));

        int code = cli.execute("start", "--retention", "ninety days");

        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("--retention must be an ISO-8601 duration");
    }

    @Test
    void silenceThresholdBelowASecond_isRefused() {
        assertThatThrownBy(() -> new PlatformConfig(Path.of("data"), "127.0.0.1", 8883, 8080, 8443, List.of(),
                Duration.ofDays(90), Duration.ofMillis(500), PlatformConfig.DEFAULT_MAX_ARTIFACT_BYTES, null, List.of()))
                .hasMessageContaining("--silence-threshold");
    }

    @Test
    void artifactSizes_parseWithBinaryUnits_andNonsenseIsRefused() {
        assertThat(StartCommand.parseSize("1048576", "--max-artifact-size")).isEqualTo(1_048_576);
        assertThat(StartCommand.parseSize("512MiB", "--max-artifact-size")).isEqualTo(512L << 20);
        assertThat(StartCommand.parseSize("2gib", "--max-artifact-size")).isEqualTo(2L << 30);
        assertThatThrownBy(() -> StartCommand.parseSize("1.5GB", "--max-artifact-size"))
                .hasMessageContaining("--max-artifact-size must be a number of bytes");
        assertThatThrownBy(() -> StartCommand.parseSize("99999999999GiB", "--max-artifact-size"))
                .hasMessageContaining("too large");
        assertThatThrownBy(() -> new PlatformConfig(Path.of("data"), "127.0.0.1", 8883, 8080, 70000, List.of(),
                Duration.ofDays(90), PlatformConfig.DEFAULT_SILENCE_THRESHOLD, 1, null, List.of()))
                .hasMessageContaining("--device-http-port");
    }

    @Test
    void start_withUnparseableSilenceThreshold_failsWithAClearMessage() {
        CommandLine cli = ChargelineCli.commandLine();
        java.io.StringWriter err = new java.io.StringWriter();
        cli.setErr(new java.io.PrintWriter(err));

        int code = cli.execute("start", "--silence-threshold", "5 minutes");

        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("--silence-threshold must be an ISO-8601 duration");
    }

    @Test
    void webhookAllow_parsesIpv4AndIpv6Ranges_andNamesTheFlagOnABadOne() {
        assertThat(PlatformConfig.parseWebhookAllow(List.of("10.20.0.0/16", " fd00:1234::/32", "")))
                .extracting(Object::toString).containsExactly("10.20.0.0/16", "fd00:1234::/32");
        assertThatThrownBy(() -> PlatformConfig.parseWebhookAllow(List.of("10.20.1.0/16")))
                .hasMessageStartingWith("--webhook-allow (CHARGELINE_WEBHOOK_ALLOW): ")
                .hasMessageContaining("the range is 10.20.0.0/16");
    }

    @Test
    void start_withABadWebhookAllowRange_failsWithAClearMessage() {
        CommandLine cli = ChargelineCli.commandLine();
        java.io.StringWriter err = new java.io.StringWriter();
        cli.setErr(new java.io.PrintWriter(err));

        int code = cli.execute("start", "--webhook-allow", "10.0.0.0/8,intranet.example");

        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("--webhook-allow (CHARGELINE_WEBHOOK_ALLOW): 'intranet.example' is not an "
                + "IPv4 or IPv6 range");
    }

    @Test
    void help_listsTheSubcommands() {
        CommandLine cli = ChargelineCli.commandLine();
        java.io.StringWriter out = new java.io.StringWriter();
        cli.setOut(new java.io.PrintWriter(out));

        assertThat(cli.execute("--help")).isZero();
        assertThat(out.toString()).contains("start", "device");
    }

    private static PlatformConfig config(int mqttPort, Duration retention, String key) {
        return new PlatformConfig(Path.of("data"), "127.0.0.1", mqttPort, 8080, 8443, List.of(), retention,
                PlatformConfig.DEFAULT_SILENCE_THRESHOLD, PlatformConfig.DEFAULT_MAX_ARTIFACT_BYTES, key, List.of());
    }
}
