package io.chargeline.app;

import io.chargeline.pki.Pem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;

/** The admin API key: from the environment if given, else {@code <data-dir>/admin-api-key} (created 0600). */
final class AdminKey {
    static final String FILE = "admin-api-key";

    /** @param created true when this call generated a new key, which is then shown once */
    record Loaded(String key, boolean created) {}

    private AdminKey() {}

    static Loaded load(Path dataDir, String fromEnvironment) {
        if (fromEnvironment != null) {
            return new Loaded(fromEnvironment, false);
        }
        Path file = dataDir.resolve(FILE);
        try {
            if (Files.exists(file)) {
                return new Loaded(Files.readString(file).trim(), false);
            }
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            String key = "cl_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            Pem.writeSecret(file, key + "\n");
            return new Loaded(key, true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the admin key " + file, e);
        }
    }
}
