package io.chargeline.core.artifact;

import io.chargeline.core.ContentTooLargeException;
import io.chargeline.core.InvalidRequestException;
import io.chargeline.core.NotFoundException;
import io.chargeline.core.Page;
import io.chargeline.core.StorageException;
import io.chargeline.core.timing.TimeOrderedIds;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Firmware and software files for update jobs. An upload is streamed to a temporary file while its SHA-256 is
 * computed and its size checked against the limit, then moved into place and only then recorded, so a listed
 * artifact is always complete. Memory use does not depend on the file size.
 */
public final class ArtifactService {
    private static final Logger LOG = LoggerFactory.getLogger(ArtifactService.class);
    static final int MAX_NAME_LENGTH = 128;

    private final ArtifactStore store;
    private final Path dir;
    private final Clock clock;
    private final long maxBytes;
    private final TimeOrderedIds ids = new TimeOrderedIds();

    public ArtifactService(ArtifactStore store, Path dir, Clock clock, long maxBytes) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.maxBytes = maxBytes;
        try {
            this.dir = Files.createDirectories(dir);
            for (Path partial : Files.newDirectoryStream(this.dir, ".upload-*")) {
                Files.deleteIfExists(partial); // left by an upload a crash interrupted
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the artifact directory " + dir, e);
        }
    }

    public long maxBytes() {
        return maxBytes;
    }

    /**
     * Stores {@code body} as a new artifact.
     *
     * @param declaredLength the Content-Length, if the client sent one (checked before reading anything)
     */
    public Artifact upload(String name, InputStream body, Long declaredLength) {
        requireFileName(name);
        if (declaredLength != null && declaredLength > maxBytes) {
            throw tooLarge();
        }
        Instant now = clock.instant();
        String id = ids.next(now);
        Path partial = dir.resolve(".upload-" + id);
        MessageDigest sha256 = sha256();
        long size = 0;
        try {
            try (OutputStream out = Files.newOutputStream(partial)) {
                byte[] buffer = new byte[64 * 1024];
                for (int n; (n = body.read(buffer)) != -1; ) {
                    size += n;
                    if (size > maxBytes) {
                        throw tooLarge();
                    }
                    sha256.update(buffer, 0, n);
                    out.write(buffer, 0, n);
                }
            }
            if (size == 0) {
                throw new InvalidRequestException("the upload is empty; send the file as the request body");
            }
            Files.move(partial, file(id), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            deleteQuietly(partial);
            throw new StorageException("the artifact could not be written: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            deleteQuietly(partial);
            throw e;
        }
        Artifact artifact = new Artifact(id, name, size, HexFormat.of().formatHex(sha256.digest()), now);
        store.save(artifact);
        LOG.info("artifact {} '{}' stored: {} bytes, sha256 {}", id, name, size, artifact.sha256());
        return artifact;
    }

    /**
     * The name is what a charger's download is saved as (Content-Disposition), so it must be a plain file name in
     * any script: 1 to 128 characters, not "." or "..", no slash or backslash, no control or invisible formatting
     * characters (a right-to-left override, U+202E, can make an ".exe" name end in what looks like ".bin"), and
     * no leading or trailing white space.
     */
    static void requireFileName(String name) {
        if (name == null || name.isEmpty()) {
            throw new InvalidRequestException("name is required: the file name, e.g. ?name=fw-2.0.0.bin");
        }
        if (name.codePointCount(0, name.length()) > MAX_NAME_LENGTH) {
            throw new InvalidRequestException("name must be at most " + MAX_NAME_LENGTH + " characters");
        }
        if (name.equals(".") || name.equals("..")) {
            throw new InvalidRequestException("name must be a file name, not " + name);
        }
        if (!name.strip().equals(name)) {
            throw new InvalidRequestException("name must not start or end with white space");
        }
        name.codePoints().forEach(c -> {
            if (c == '/' || c == '\\') {
                throw new InvalidRequestException("name must be a file name without / or \\");
            }
            if (c == 0xFFFD) { // what a decoder makes of bytes that are not UTF-8, e.g. ?name=%FF
                throw new InvalidRequestException("name must be UTF-8 text, percent-encoded in the query string");
            }
            int type = Character.getType(c);
            if (type == Character.CONTROL || type == Character.FORMAT || type == Character.SURROGATE
                    || type == Character.UNASSIGNED || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR || type == Character.PRIVATE_USE) {
                throw new InvalidRequestException(String.format(
                        "name must not contain control or invisible characters (U+%04X)", c));
            }
        });
    }

    public Artifact find(String id) {
        if (!TimeOrderedIds.isWellFormed(id)) {
            throw new NotFoundException("no artifact " + id);
        }
        return store.find(id).orElseThrow(() -> new NotFoundException("no artifact " + id));
    }

    public Page<Artifact> list(String cursor, int limit) {
        return store.list(cursor, limit);
    }

    /** The file of a stored artifact. */
    public Path file(Artifact artifact) {
        return file(artifact.id());
    }

    public void delete(String id) {
        Artifact artifact = find(id);
        store.delete(id);
        deleteQuietly(file(artifact.id()));
        LOG.info("artifact {} '{}' deleted", id, artifact.name());
    }

    private Path file(String id) {
        return dir.resolve(id + ".bin");
    }

    private ContentTooLargeException tooLarge() {
        return new ContentTooLargeException("artifacts are limited to " + maxBytes + " bytes (--max-artifact-size)");
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("could not delete {}: {}", file, e.getMessage());
        }
    }
}
