package io.chargeline.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

class DurationConverterTest {

    @ParameterizedTest
    @CsvSource({
        "5m, PT5M",
        "10s, PT10S",
        "1h, PT1H",
        "90d, PT2160H",
        "250ms, PT0.25S",
        "PT5M, PT5M",
        "P90D, PT2160H",
        "pt36h, PT36H",
        "0s, PT0S"})
    void shortAndIsoForms_parseToTheSameDurations(String text, String expected) {
        assertThat(DurationConverter.parse(text)).isEqualTo(Duration.parse(expected));
    }

    /** Every duration flag of the CLI goes through the converter: the short form and ISO-8601 both land in it. */
    @ParameterizedTest
    @MethodSource("durationFlags")
    void everyDurationFlag_acceptsBothForms(String[] command, String flag) {
        assertThat(parsed(command, flag, "5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(parsed(command, flag, "P90D")).isEqualTo(Duration.ofDays(90));
    }

    @ParameterizedTest
    @CsvSource(value = {"5", "-5m", "5x", "''", "PT-5M", "5 minutes", "99999999999999999999s"}, emptyValue = "")
    void nonsense_isRefused_withAnErrorNamingTheFlag(String bad) {
        for (Arguments flag : durationFlags().toList()) {
            String[] command = (String[]) flag.get()[0];
            String name = (String) flag.get()[1];
            CommandLine cli = ChargelineCli.commandLine();
            StringWriter err = new StringWriter();
            cli.setErr(new PrintWriter(err));

            int code = cli.execute(args(command, name, bad));

            assertThat(code).as(name).isEqualTo(CommandLine.ExitCode.USAGE);
            assertThat(err.toString()).as(name)
                    .contains("Invalid value for option '" + name + "'", "'" + bad.strip() + "'");
        }
    }

    @ParameterizedTest
    @CsvSource({"P90D, P90D", "PT5M, PT5M", "PT36H, P1DT12H", "PT0.25S, PT0.25S", "PT0S, PT0S"})
    void format_isIso8601_inWholeDaysWhenItCan(String duration, String printed) {
        assertThat(DurationConverter.format(Duration.parse(duration))).isEqualTo(printed);
        assertThat(Duration.parse(printed)).isEqualTo(Duration.parse(duration));
    }

    @ParameterizedTest
    @CsvSource(value = {"-5m", "5x", "''"}, emptyValue = "")
    void converter_errorSaysWhatItAccepts(String bad) {
        assertThatThrownBy(() -> DurationConverter.parse(bad))
                .isInstanceOf(CommandLine.TypeConversionException.class)
                .hasMessageContaining("5m").hasMessageContaining("PT5M");
    }

    static Stream<Arguments> durationFlags() {
        return Stream.of(
                Arguments.of(new String[] {"start"}, "--retention"),
                Arguments.of(new String[] {"start"}, "--silence-threshold"),
                Arguments.of(new String[] {"simulate"}, "--interval"),
                Arguments.of(new String[] {"demo"}, "--interval"),
                Arguments.of(new String[] {"bench", "ingest"}, "--duration"),
                Arguments.of(new String[] {"bench", "ingest"}, "--warmup"),
                Arguments.of(new String[] {"bench", "query"}, "--duration"),
                Arguments.of(new String[] {"bench", "query"}, "--warmup"),
                Arguments.of(new String[] {"bench", "connections"}, "--hold"),
                Arguments.of(new String[] {"bench", "alarms"}, "--spread"));
    }

    /** Parses (without running) {@code command flag value} and returns what the flag's field received. */
    private static Duration parsed(String[] command, String flag, String value) {
        CommandLine.ParseResult result = ChargelineCli.commandLine().parseArgs(args(command, flag, value));
        while (result.hasSubcommand()) {
            result = result.subcommand();
        }
        return result.matchedOption(flag).getValue();
    }

    private static String[] args(String[] command, String flag, String value) {
        String[] args = java.util.Arrays.copyOf(command, command.length + 2);
        args[command.length] = flag;
        args[command.length + 1] = value;
        return args;
    }
}
