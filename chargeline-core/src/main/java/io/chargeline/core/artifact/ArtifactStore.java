package io.chargeline.core.artifact;

import io.chargeline.core.Page;
import java.util.Optional;

/** Durable artifact metadata (the bytes are files). Writes are durable when they return. */
public interface ArtifactStore {
    void save(Artifact artifact);

    Optional<Artifact> find(String id);

    /** Newest first, after {@code cursor} (an artifact id) when it is not null. */
    Page<Artifact> list(String cursor, int limit);

    void delete(String id);
}
