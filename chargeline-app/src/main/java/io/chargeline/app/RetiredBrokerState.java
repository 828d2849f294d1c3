package io.chargeline.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code <data>/broker} held the state of the embedded HiveMQ broker that the own gateway replaced: MQTT sessions and
 * the broker's message queues. Nothing reads it any more (commands, alarm feeds and telemetry live in the store), so a
 * data directory from before the gateway loses it once, with a line in the log, instead of keeping it forever.
 */
final class RetiredBrokerState {
    private static final Logger LOG = LoggerFactory.getLogger(RetiredBrokerState.class);

    private RetiredBrokerState() {}

    static void remove(Path dataDir) {
        Path dir = dataDir.resolve("broker");
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the retired broker state in " + dir, e);
        }
        LOG.info("removed {}: the embedded broker's state, unused since the own MQTT gateway replaced it", dir);
    }
}
