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
    void twoFlagsOnOnePort_areRefused_butZeroMeansAFreePortForEach() {
        assertThatThrownBy(() -> new PlatformConfig(Path.of("data"), "127.0.0.1", 8883, 8883, 8443, List.of(),
                Duration.ofDays(90), PlatformConfig.DEFAULT_SILENCE_THRESHOLD, 1, null, List.of()))
                .hasMessage("--mqtt-port and --http-port are both 8883; give each its own port");
        assertThat(new PlatformConfig(Path.of("data"), "127.0.0.1", 0, 0, 0, List.of(), Duration.ofDays(90),
                PlatformConfig.DEFAULT_SILENCE_THRESHOLD, 1, null, List.of()).httpPort()).isZero();
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

        assertThat(code).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("Invalid value for option '--retention': 'ninety days' is not a duration");
    }

    @Test
    void effectiveConfigLine_printsIsoDurationsInDays_andSizesInBinaryUnits() {
        PlatformConfig config = new PlatformConfig(Path.of("data"), "127.0.0.1", 8883, 8080, 8443, List.of("cl.example"),
                Duration.ofDays(90), Duration.ofMinutes(5), 512L << 20, null, List.of());

        assertThat(config.toString()).isEqualTo("data-dir=" + Path.of("data").toAbsolutePath()
                + " bind=127.0.0.1 mqtt-port=8883 http-port=8080 device-http-port=8443 hostnames=[cl.example]"
                + " retention=P90D silence-threshold=PT5M max-artifact-size=512MiB admin-api-key=(data dir)"
                + " webhook-allow=[]");
    }

    @Test
    void silenceThresholdBelowASecond_isRefused() {
        assertThatThrownBy(() -> new PlatformConfig(Path.of("data"), "127.0.0.1", 8883, 8080, 8443, List.of(),
                Duration.ofDays(90), Duration.ofMillis(500), PlatformConfig.DEFAULT_MAX_ARTIFACT_BYTES, null, List.of()))
                .hasMessageContaining("--silence-threshold");
    }

    @Test
    void artifactSizes_parseWithBinaryUnits_andNonsenseIsRefused() {
        assertThat(ByteSizes.parse("1048576", "--max-artifact-size")).isEqualTo(1_048_576);
        assertThat(ByteSizes.parse("512MiB", "--max-artifact-size")).isEqualTo(512L << 20);
        assertThat(ByteSizes.parse("2gib", "--max-artifact-size")).isEqualTo(2L << 30);
        assertThatThrownBy(() -> ByteSizes.parse("1.5GB", "--max-artifact-size"))
                .hasMessageContaining("--max-artifact-size must be a number of bytes");
        assertThatThrownBy(() -> ByteSizes.parse("99999999999GiB", "--max-artifact-size"))
                .hasMessageContaining("too large");
        assertThat(ByteSizes.format(512L << 20)).isEqualTo("512MiB");
        assertThat(ByteSizes.format(1536L << 10)).isEqualTo("1536KiB");
        assertThat(ByteSizes.format(2L << 30)).isEqualTo("2GiB");
        assertThat(ByteSizes.format(1000)).isEqualTo("1000");
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

        assertThat(code).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("Invalid value for option '--silence-threshold': '5 minutes' is not a duration");
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
