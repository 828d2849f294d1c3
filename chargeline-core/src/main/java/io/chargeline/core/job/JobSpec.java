package io.chargeline.core.job;

import java.time.Duration;
import java.util.List;

/**
 * What an operator asks for in {@code POST /api/v1/jobs}, before validation. {@code chargerIds} is null when
 * {@code all} is true.
 */
public record JobSpec(
        Job.Type type,
        String version,
        String url,
        String sha256,
        Long size,
        List<String> chargerIds,
        boolean all,
        Job.Rollout rollout,
        Job.Abort abort,
        Duration timeout) {}
