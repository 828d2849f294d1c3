package io.chargeline.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code chargeline demo} in a child JVM, stopped with SIGTERM as Ctrl-C or a service manager would. */
class DemoIT {
    @TempDir
    Path tmp;

    @Test
    void sigterm_removesTheDataDir_andProvisioningIsOneLineBeforeTheBanner() throws Exception {
        Demo demo = new Demo(tmp);
        Path dataDir = demo.awaitRunning();
        assertThat(demo.out()).contains("Chargeline demo (data in " + dataDir + ", removed on exit; --keep keeps it)");
        assertThat(demo.err().lines().filter(l -> l.contains("provisioned")).toList()).singleElement()
                .asString().contains("demo: 2 simulated chargers provisioned (sim-...)");

        demo.terminate();

        assertThat(dataDir).doesNotExist();
        assertThat(demo.out()).contains("demo data removed (" + dataDir + ")");
    }

    @Test
    void keep_leavesTheDataDir_andSaysWhere() throws Exception {
        Demo demo = new Demo(tmp, "--keep");
        Path dataDir = demo.awaitRunning();

        demo.terminate();

        assertThat(dataDir.resolve("store")).isDirectory();
        assertThat(demo.out()).contains("demo data kept in " + dataDir);
    }

    /** The demo with two chargers on free ports, its temporary directory under {@code tmp}. */
    private static final class Demo {
        private final Path tmp;
        private final Process process;
        private final StringBuffer out = new StringBuffer();
        private final StringBuffer err = new StringBuffer();

        Demo(Path tmp, String... extra) throws IOException {
            this.tmp = tmp;
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Djava.io.tmpdir=" + tmp, "-cp", System.getProperty("java.class.path"), ChargelineCli.class.getName(),
                    "demo", "--chargers", "2", "--http-port", "0"));
            command.addAll(List.of(extra));
            process = new ProcessBuilder(command).start();
            copy(process.getInputStream(), out);
            copy(process.getErrorStream(), err);
        }

        /** Waits for the simulation to run; returns the demo's data directory. */
        Path awaitRunning() throws IOException {
            await().atMost(Duration.ofSeconds(90)).until(() -> out().contains("simulating 2 chargers"));
            try (Stream<Path> dirs = Files.list(tmp)) {
                return dirs.filter(d -> d.getFileName().toString().startsWith("chargeline-demo-")).findFirst().orElseThrow();
            }
        }

        void terminate() throws InterruptedException {
            process.toHandle().destroy(); // SIGTERM; Process.destroy() would also close our end of its output
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the demo stops").isTrue();
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(out()).as("exit %d, stderr:%n%s",
                    process.exitValue(), err()).contains("demo data"));
        }

        String out() {
            return out.toString();
        }

        String err() {
            return err.toString();
        }

        private static void copy(InputStream from, StringBuffer to) {
            Thread reader = new Thread(() -> {
                byte[] buffer = new byte[8192];
                try {
                    for (int n; (n = from.read(buffer)) > 0; ) {
                        to.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                    }
                } catch (IOException e) {
                    // the process ended
                }
            }, "demo-output");
            reader.setDaemon(true);
            reader.start();
        }
    }
}
