package io.chargeline.tools.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Chargeline started from its runnable jar in a child JVM, with its own data directory. */
public final class ChargelineServer extends ServerProcess {
    private final int mqttPort;
    private final int httpPort;
    private final Path dataDir;
    private final ApiClient api;

    private ChargelineServer(Path dataDir, int mqttPort, int httpPort, String apiKey) {
        this.dataDir = dataDir;
        this.mqttPort = mqttPort;
        this.httpPort = httpPort;
        this.api = new ApiClient(URI.create("http://127.0.0.1:" + httpPort), apiKey);
    }

    /** Starts the launch's jar and waits until /health answers. */
    public static ChargelineServer start(ServerLaunch launch, Path dataDir, String apiKey, Path log)
            throws IOException, InterruptedException {
        Path jar = launch.jar();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("no runnable jar at " + jar + "; build it with ./mvnw -DskipTests package");
        }
        ChargelineServer server = new ChargelineServer(dataDir, freePort(), freePort(), apiKey);
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(launch.jvmOptions());
        command.addAll(List.of("-jar", jar.toString(), "start", "--data-dir", dataDir.toString(),
                "--mqtt-port", String.valueOf(server.mqttPort), "--http-port", String.valueOf(server.httpPort),
                // any free port: the default 8443 is taken by whichever other server started first on this machine
                "--device-http-port", "0"));
        ProcessBuilder builder = new ProcessBuilder(launch.pinned(command)).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("CHARGELINE_ADMIN_API_KEY", apiKey);
        server.process = builder.start();
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!server.api.isHealthy()) {
            if (!server.process.isAlive() || System.nanoTime() > deadline) {
                server.close();
                throw new IOException("Chargeline did not start; see " + log);
            }
            Thread.sleep(200);
        }
        return server;
    }

    @Override
    public String name() {
        return "Chargeline";
    }

    @Override
    public int mqttPort() {
        return mqttPort;
    }

    public int httpPort() {
        return httpPort;
    }

    public ApiClient api() {
        return api;
    }

    public Path dataDir() {
        return dataDir;
    }
}
