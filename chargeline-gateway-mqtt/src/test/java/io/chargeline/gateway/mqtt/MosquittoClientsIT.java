package io.chargeline.gateway.mqtt;

import static io.chargeline.gateway.mqtt.GatewayFixture.payload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chargeline.core.command.Command;
import io.chargeline.core.device.IssuedCertificate;
import io.chargeline.core.timing.TimeOrderedIds;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The gateway driven by the command-line clients of Debian's {@code mosquitto-clients} ({@code mosquitto_pub},
 * {@code mosquitto_sub}: libmosquitto over OpenSSL), as a charger's firmware engineer would try it: PEM files for the
 * certificate, key and CA, and the server's certificate checked against 127.0.0.1. The binaries are required, not
 * optional: CI installs the package.
 */
class MosquittoClientsIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final TimeOrderedIds COMMAND_IDS = new TimeOrderedIds();
    private static Path mosquittoPub;
    private static Path mosquittoSub;

    @TempDir
    Path dir;

    private GatewayFixture fixture;
    private final List<Process> processes = new ArrayList<>();
    /** Each started process's stdout and stderr files. */
    private final Map<Process, Path[]> outputs = new HashMap<>();

    @BeforeAll
    static void findTheBinaries() {
        mosquittoPub = onPath("mosquitto_pub");
        mosquittoSub = onPath("mosquitto_sub");
        assertThat(mosquittoPub != null && mosquittoSub != null)
                .as("mosquitto_pub and mosquitto_sub are not on the PATH (%s): install the Debian package "
                        + "mosquitto-clients (apt-get install mosquitto-clients), as .ci/run does", System.getenv("PATH"))
                .isTrue();
    }

    @BeforeEach
    void start() {
        fixture = new GatewayFixture(dir.resolve("gateway")).start();
    }

    @AfterEach
    void stop() {
        processes.forEach(Process::destroyForcibly);
        fixture.close();
    }

    @ParameterizedTest(name = "{0} QoS {1}")
    @CsvSource({"mqttv311, 0", "mqttv311, 1", "mqttv311, 2", "mqttv5, 0", "mqttv5, 1", "mqttv5, 2"})
    void mosquittoPub_toItsOwnTopic_isStored(String version, int qos) throws Exception {
        Identity charger = identity("CH-1");

        Result pub = run(mosquittoPub, charger, version, "-q", String.valueOf(qos), "-t", "telemetry/CH-1",
                "-m", new String(payload("CH-1", 1), StandardCharsets.UTF_8));

        assertThat(pub.exitCode()).as(pub.toString()).isZero();
        // at QoS 1 and 2 the acknowledgement, and so the exit, came after the commit; at QoS 0 it is on its way
        await().atMost(WAIT).until(() -> !fixture.store.storedFor("CH-1").isEmpty());
        assertThat(fixture.store.storedFor("CH-1")).singleElement()
                .satisfies(r -> assertThat(r.timestamp()).isEqualTo(GatewayFixture.EPOCH.plusSeconds(1)));
        assertThat(fixture.store.deadLetters).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"mqttv311", "mqttv5"})
    void mosquittoPub_toAnotherChargersTopic_isRefused(String version) throws Exception {
        fixture.charger("CH-2");
        Identity charger = identity("CH-1");

        Result pub = run(mosquittoPub, charger, version, "-q", "1", "-t", "telemetry/CH-2",
                "-m", new String(payload("CH-2", 1), StandardCharsets.UTF_8));

        if (version.equals("mqttv5")) {
            // PUBACK 0x87, which mosquitto_pub reports as a warning and still exits 0
            assertThat(pub.stderr()).as(pub.toString()).contains("Publish 1 failed: Not authorized");
        } else {
            // MQTT 3.1.1 has no refusal code in PUBACK, so the gateway closes the connection instead
            assertThat(pub.exitCode()).as(pub.toString()).isNotZero();
            assertThat(pub.stderr()).as(pub.toString()).contains("The connection was lost");
        }
        assertThat(fixture.store.stored).isEmpty(); // a QoS 1 publish is acknowledged only after its commit
    }

    @ParameterizedTest
    @ValueSource(strings = {"mqttv311", "mqttv5"})
    void mosquittoSub_receivesACommand_onItsCommandTopic(String version) throws Exception {
        Identity charger = identity("CH-1");
        Instant now = Instant.now();
        Command reboot = Command.queued(COMMAND_IDS.next(now), "CH-1", "reboot", "{\"delaySeconds\":5}", now,
                now.plus(Duration.ofHours(1)));
        Process sub = start(mosquittoSub, charger, version, "-q", "1", "-t", "commands/CH-1/#", "-C", "1",
                "-W", "20", "-v");

        // the channel says false until the charger is connected and subscribed
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100))
                .until(() -> fixture.gateway.commandChannel().send(reboot).get(10, TimeUnit.SECONDS));

        Result received = finish(sub);
        assertThat(received.exitCode()).as(received.toString()).isZero();
        assertThat(received.stdout()).startsWith("commands/CH-1/" + reboot.id() + " ")
                .contains("\"commandId\":\"" + reboot.id() + "\"", "\"name\":\"reboot\"");
    }

    /** A provisioned charger's TLS files as PEM: what mosquitto_pub and mosquitto_sub read. */
    private record Identity(String chargerId, Path ca, Path cert, Path key) {}

    private Identity identity(String chargerId) throws IOException {
        IssuedCertificate issued = fixture.charger(chargerId);
        Path files = Files.createDirectories(dir.resolve("clients").resolve(chargerId));
        Path ca = Files.writeString(files.resolve("ca.pem"), fixture.ca.caCertificatePem());
        Path cert = Files.writeString(files.resolve(chargerId + ".crt"), issued.certificatePem());
        Path key = Files.createFile(files.resolve(chargerId + ".key"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(key, issued.privateKeyPem());
        return new Identity(chargerId, ca, cert, key);
    }

    private record Result(int exitCode, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + exitCode + ", stdout: " + stdout.strip() + ", stderr: " + stderr.strip();
        }
    }

    private Result run(Path binary, Identity who, String version, String... args) throws Exception {
        return finish(start(binary, who, version, args));
    }

    private Process start(Path binary, Identity who, String version, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(binary.toString(),
                "--cafile", who.ca().toString(), "--cert", who.cert().toString(), "--key", who.key().toString(),
                "-h", "127.0.0.1", "-p", String.valueOf(fixture.port()), "-i", who.chargerId(), "-V", version));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(dir, binary.getFileName().toString(), ".out");
        Path err = Files.createTempFile(dir, binary.getFileName().toString(), ".err");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        processes.add(p);
        outputs.put(p, new Path[] {out, err});
        return p;
    }

    private Result finish(Process p) throws Exception {
        boolean exited = p.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS);
        Path[] files = outputs.get(p);
        String stdout = Files.readString(files[0]);
        String stderr = Files.readString(files[1]);
        assertThat(exited).as("still running after %s; stdout: %s, stderr: %s", WAIT, stdout, stderr).isTrue();
        return new Result(p.exitValue(), stdout, stderr);
    }

    private static Path onPath(String name) {
        for (String entry : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            Path candidate = Path.of(entry, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
