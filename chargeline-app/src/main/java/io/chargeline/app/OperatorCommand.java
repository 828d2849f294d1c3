package io.chargeline.app;

import io.chargeline.core.device.ClientKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code chargeline operator create|revoke}: certificates for MQTT clients that watch alarms. */
@Command(name = "operator", mixinStandardHelpOptions = true,
        description = "Provision or revoke operator clients: MQTT clients that receive alarms on $chargeline/alarms/#.",
        subcommands = {OperatorCommand.Create.class, OperatorCommand.Revoke.class})
final class OperatorCommand {
    private static final String PATH = "/api/v1/operators";

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Provision an operator and write NAME.crt, NAME.key (0600) and ca.crt into --out.")
    static final class Create extends DeviceCommand.CreateCertificate {
        @Parameters(index = "0", paramLabel = "NAME", description = "Operator name ([A-Za-z0-9_-]{1,128})")
        String name;

        Create() {
            super(ClientKind.OPERATOR, PATH);
        }

        @Override
        String id() {
            return name;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revoke an operator's certificate; its live connection is dropped.")
    static final class Revoke extends DeviceCommand.RevokeCertificate {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        Revoke() {
            super(ClientKind.OPERATOR, PATH);
        }

        @Override
        String id() {
            return name;
        }
    }
}
