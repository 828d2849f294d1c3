package io.chargeline.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class StartCommandIT {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"--mqtt-port", "--http-port", "--device-http-port"})
    void start_onAPortInUse_saysWhichPortAndFlag_andExits1_beforeCreatingAnything(String flag) throws Exception {
        try (ServerSocket taken = occupy()) {
            Path dataDir = dir.resolve("data");
            CommandLine cli = ChargelineCli.commandLine();
            StringWriter err = new StringWriter();
            cli.setErr(new PrintWriter(err));

            int code = cli.execute(withPort(flag, taken.getLocalPort(), "start", "--data-dir", dataDir.toString(),
                    "--bind", "127.0.0.1"));

            assertThat(code).isEqualTo(1);
            assertThat(err.toString()).isEqualTo("error: port " + taken.getLocalPort() + " is already in use on 127.0.0.1; "
                    + "choose another with " + flag + System.lineSeparator());
            assertThat(dataDir).doesNotExist(); // a first start's admin key is shown once: not spent on a failed start
        }
    }

    @Test
    void platform_onAnHttpPortInUse_failsWithTheLine_andTheRealPlatformStartsOnceItIsFree() throws Exception {
        Path dataDir = dir.resolve("data");
        int port;
        try (ServerSocket taken = occupy()) {
            port = taken.getLocalPort();
            assertThatThrownBy(() -> Platform.start(config(dataDir, port)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("port " + port + " is already in use on 127.0.0.1; choose another with --http-port");
        }

        try (Platform platform = Platform.start(config(dataDir, port))) {
            assertThat(platform.httpPort()).isEqualTo(port);
            assertThat(platform.adminKeyCreated()).isTrue();
        }
    }

    private static PlatformConfig config(Path dataDir, int httpPort) {
        return new PlatformConfig(dataDir, "127.0.0.1", 0, httpPort, 0, List.of(), Duration.ofDays(90),
                PlatformConfig.DEFAULT_SILENCE_THRESHOLD, PlatformConfig.DEFAULT_MAX_ARTIFACT_BYTES, null, List.of());
    }

    private static ServerSocket occupy() throws Exception {
        ServerSocket socket = new ServerSocket();
        socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
        return socket;
    }

    /** {@code command...} with every port 0 (free) except {@code flag}, which gets {@code port}. */
    private static String[] withPort(String flag, int port, String... command) {
        List<String> args = new java.util.ArrayList<>(List.of(command));
        for (String f : List.of("--mqtt-port", "--http-port", "--device-http-port")) {
            args.add(f);
            args.add(f.equals(flag) ? String.valueOf(port) : "0");
        }
        return args.toArray(String[]::new);
    }
}
