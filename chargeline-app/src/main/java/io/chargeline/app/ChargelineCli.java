package io.chargeline.app;

import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code chargeline} command. */
@Command(
        name = "chargeline",
        mixinStandardHelpOptions = true,
        versionProvider = ChargelineCli.Version.class,
        description = "Self-hosted telemetry platform for EV chargers.",
        subcommands = {StartCommand.class, DeviceCommand.class, OperatorCommand.class, SimulateCommand.class, DemoCommand.class,
            BenchCommand.class})
public final class ChargelineCli {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return new CommandLine(new ChargelineCli())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .registerConverter(Duration.class, new DurationConverter())
                .setExecutionExceptionHandler((e, cmd, parseResult) -> {
                    cmd.getErr().println("error: " + e.getMessage());
                    return 1;
                });
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = ChargelineCli.class.getPackage().getImplementationVersion();
            return new String[] {"chargeline " + (v == null ? "development build" : v)};
        }
    }
}
