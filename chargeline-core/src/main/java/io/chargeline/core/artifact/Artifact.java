package io.chargeline.core.artifact;

import java.time.Instant;
import java.util.Objects;

/** An uploaded firmware or software file: kept under the data dir, served to chargers over mTLS. */
public record Artifact(String id, String name, long size, String sha256, Instant createdAt) {
    public Artifact {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
