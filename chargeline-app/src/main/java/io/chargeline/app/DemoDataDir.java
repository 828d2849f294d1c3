package io.chargeline.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The demo's temporary data directory: removed when the demo ends, unless it is kept ({@code --keep}). */
final class DemoDataDir {
    private final Path path;
    private final boolean keep;

    private DemoDataDir(Path path, boolean keep) {
        this.path = path;
        this.keep = keep;
    }

    /** A new directory under the system's temporary directory ({@code java.io.tmpdir}). */
    static DemoDataDir create(boolean keep) {
        try {
            return new DemoDataDir(Files.createTempDirectory("chargeline-demo-"), keep);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory for the demo; set java.io.tmpdir", e);
        }
    }

    Path path() {
        return path;
    }

    boolean kept() {
        return keep;
    }

    /** Removes the directory unless it is kept; says which, for the user. Call once nothing uses it any more. */
    String leave() {
        if (keep) {
            return "demo data kept in " + path;
        }
        try (Stream<Path> all = Files.walk(path)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
            return "demo data removed (" + path + ")";
        } catch (IOException | UncheckedIOException e) {
            return "could not remove the demo data in " + path + ": " + e.getMessage();
        }
    }
}
