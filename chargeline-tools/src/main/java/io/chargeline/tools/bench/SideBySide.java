package io.chargeline.tools.bench;

import io.chargeline.pki.CertificateAuthority;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.function.Consumer;

/**
 * The shape every benchmark shares: start Chargeline from its jar, provision the fleet through its API (CSRs),
 * measure; then, with the same CA and the same certificates, start the peer broker and measure the same way.
 */
final class SideBySide {
    static final String API_KEY = "bench-admin-key-0123456789";

    /** Measures one running server with the fleet. */
    interface Measure<R> {
        R on(ServerProcess server, Fleet fleet) throws Exception;
    }

    /** {@code peer} is null when no peer was asked for. */
    record Results<R>(R chargeline, R peer) {}

    private SideBySide() {}

    static <R> Results<R> run(Path workDir, ServerLaunch launch, String peer, String fleetPrefix,
            int devices, Consumer<String> progress, Measure<R> measure) throws Exception {
        if (peer != null && !peer.equals("mosquitto")) {
            throw new IllegalArgumentException("--peer must be mosquitto");
        }
        Path work = Files.createDirectories(workDir);
        R ours;
        Fleet fleet;
        CertificateAuthority ca;
        try (ChargelineServer server = ChargelineServer.start(launch, work.resolve("chargeline-data"), API_KEY,
                work.resolve("chargeline.log"))) {
            progress.accept("Chargeline started (pid " + server.pid() + "); provisioning " + devices
                    + " chargers with CSRs");
            fleet = Fleet.provision(server.api(), fleetPrefix, devices, work.resolve("fleet"));
            ours = measure.on(server, fleet);
            ca = CertificateAuthority.loadOrCreate(server.dataDir().resolve("tls"), Clock.systemUTC());
        }
        R theirs = null;
        if (peer != null) {
            try (MosquittoServer mosquitto = MosquittoServer.start(ca, work.resolve("mosquitto"), launch)) {
                progress.accept("Mosquitto started (pid " + mosquitto.pid() + ")");
                theirs = measure.on(mosquitto, fleet);
            }
        }
        return new Results<>(ours, theirs);
    }
}
