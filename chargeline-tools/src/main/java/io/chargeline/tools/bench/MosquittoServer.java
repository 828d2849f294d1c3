package io.chargeline.tools.bench;

import io.chargeline.pki.CertificateAuthority;
import io.chargeline.pki.Pem;
import io.chargeline.pki.PemKeyStores;
import io.chargeline.pki.ServerIdentity;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The peer: Mosquitto 2 with the same mutual-TLS setup (same CA, client certificates required, identity as
 * user name) and persistence off. It relays and acknowledges; it does not store.
 */
public final class MosquittoServer extends ServerProcess {
    static final Path BINARY = Path.of("/usr/sbin/mosquitto");

    private final int port;

    private MosquittoServer(int port) {
        this.port = port;
    }

    public static boolean isInstalled() {
        return Files.isExecutable(BINARY);
    }

    /** Starts Mosquitto on a free loopback port with a server certificate from {@code ca}. */
    public static MosquittoServer start(CertificateAuthority ca, Path workDir) throws IOException, InterruptedException {
        return start(ca, workDir, null);
    }

    /** Like {@link #start(CertificateAuthority, Path)}, on the CPUs {@code launch} pins servers to, if any. */
    public static MosquittoServer start(CertificateAuthority ca, Path workDir, ServerLaunch launch)
            throws IOException, InterruptedException {
        if (!isInstalled()) {
            throw new IllegalStateException("mosquitto is not installed: apt-get install mosquitto");
        }
        Files.createDirectories(workDir);
        ServerIdentity identity = ca.issueServer(List.of("localhost", "127.0.0.1"));
        Files.writeString(workDir.resolve("ca.crt"), ca.caCertificatePem());
        Files.writeString(workDir.resolve("server.crt"), Pem.encode(identity.certificate()));
        Pem.writeSecret(workDir.resolve("server.key"), PemKeyStores.privateKeyPem(identity.key()));
        MosquittoServer server = new MosquittoServer(freePort());
        Path config = workDir.resolve("mosquitto.conf");
        Files.writeString(config, String.join("\n",
                "user root",
                "per_listener_settings false",
                "persistence false",
                "log_dest stderr",
                "log_type error",
                "log_type warning",
                "max_inflight_messages 0",
                "max_queued_messages 0",
                "listener " + server.port + " 127.0.0.1",
                "cafile " + workDir.resolve("ca.crt"),
                "certfile " + workDir.resolve("server.crt"),
                "keyfile " + workDir.resolve("server.key"),
                "require_certificate true",
                "use_identity_as_username true",
                "allow_anonymous false",
                ""));
        List<String> command = List.of(BINARY.toString(), "-c", config.toString());
        server.process = new ProcessBuilder(launch == null ? command : launch.pinned(command))
                .redirectErrorStream(true)
                .redirectOutput(workDir.resolve("mosquitto.log").toFile())
                .start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!accepts(server.port)) {
            if (!server.process.isAlive() || System.nanoTime() > deadline) {
                server.close();
                throw new IOException("mosquitto did not start; see " + workDir.resolve("mosquitto.log"));
            }
            Thread.sleep(50);
        }
        return server;
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public String name() {
        return "Mosquitto";
    }

    @Override
    public int mqttPort() {
        return port;
    }
}
