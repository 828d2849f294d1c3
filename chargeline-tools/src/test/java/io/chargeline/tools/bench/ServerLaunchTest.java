package io.chargeline.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chargeline.pki.CertificateAuthority;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ServerLaunchTest {
    @TempDir
    Path dir;

    @Test
    void withoutCpus_theCommandRunsAsIs() {
        ServerLaunch launch = new ServerLaunch(Path.of("chargeline.jar"), List.of("-Xmx1g"));

        assertThat(launch.pinned(List.of("java", "-jar", "x.jar"))).containsExactly("java", "-jar", "x.jar");
    }

    @Test
    void withCpus_theCommandRunsUnderTaskset() {
        ServerLaunch launch = new ServerLaunch(Path.of("chargeline.jar"), List.of(), "1,3-4");

        assertThat(launch.pinned(List.of("mosquitto", "-c", "m.conf")))
                .containsExactly("/usr/bin/taskset", "-c", "1,3-4", "mosquitto", "-c", "m.conf");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "one", "1;rm -rf /", "1,", "-1", "1 2", "1-"})
    void aCpuListThatIsNotOne_isRefusedWithTheOptionName(String cpus) {
        assertThatThrownBy(() -> new ServerLaunch(Path.of("chargeline.jar"), List.of(), cpus))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--server-cpus");
    }

    @Test
    void aPinnedPeer_runsOnlyOnTheGivenCpu() throws Exception {
        CertificateAuthority ca = CertificateAuthority.loadOrCreate(dir.resolve("tls"), Clock.systemUTC());
        ServerLaunch launch = new ServerLaunch(Path.of("chargeline.jar"), List.of(), "0");

        try (MosquittoServer mosquitto = MosquittoServer.start(ca, dir.resolve("mosquitto"), launch)) {
            String allowed = Files.readAllLines(Path.of("/proc", String.valueOf(mosquitto.pid()), "status")).stream()
                    .filter(line -> line.startsWith("Cpus_allowed_list:"))
                    .findFirst().orElseThrow();

            assertThat(allowed.split(":")[1].trim()).isEqualTo("0");
        }
    }
}
