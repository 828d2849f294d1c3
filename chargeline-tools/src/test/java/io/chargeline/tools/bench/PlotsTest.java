package io.chargeline.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlotsTest {
    @TempDir
    Path dir;

    @Test
    void throughput_isAPngWithOneLinePerServer() throws Exception {
        Path png = dir.resolve("throughput.png");
        Map<String, List<Long>> series = new LinkedHashMap<>();
        series.put("Chargeline", List.of(100L, 200L, 300L));
        series.put("Mosquitto", List.of(400L, 380L, 390L));

        Plots.throughput(png, "ingest", series);

        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(900);
        assertThat(image.getHeight()).isEqualTo(500);
        assertThat(distinctColours(image)).as("axes, text and two coloured lines").isGreaterThan(4);
    }

    @Test
    void latency_plotsTheDistribution_includingZeroAndEmptyRuns() throws Exception {
        LatencyStats stats = new LatencyStats();
        for (int ms = 0; ms <= 1000; ms++) {
            stats.recordNanos(ms * 1_000_000L);
        }
        Map<String, LatencyStats.Snapshot> byServer = new LinkedHashMap<>();
        byServer.put("Chargeline", stats.snapshot());
        byServer.put("empty", new LatencyStats().snapshot());
        Path png = dir.resolve("latency.png");

        Plots.latency(png, "PUBACK latency", byServer);

        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(900);
        assertThat(distinctColours(image)).isGreaterThan(3);
    }

    private static long distinctColours(BufferedImage image) {
        return java.util.stream.IntStream.range(0, image.getWidth() * image.getHeight())
                .map(i -> image.getRGB(i % image.getWidth(), i / image.getWidth()))
                .distinct().count();
    }
}
