package io.chargeline.tools.bench;

import java.util.List;
import java.util.Map;

/**
 * What one load run measured. Rates cover the measured window only (after warm-up); {@code ackedPerDevice}
 * covers the whole run, for verification against the store.
 */
public record LoadResult(
        String target,
        long sent,
        long acked,
        long failed,
        double measuredSeconds,
        double ackedPerSecond,
        LatencyStats.Snapshot pubackMillis,
        List<Long> ackedEachSecond,
        Map<String, Long> ackedPerDevice,
        double connectSeconds,
        double serverCpuCores,
        double generatorCpuCores,
        double serverRssMiB,
        double serverPeakRssMiB) {

    /** Server CPU per acknowledged message in the measured window, in microseconds; -1 if unknown. */
    public double serverCpuMicrosPerMessage() {
        return serverCpuCores < 0 || ackedPerSecond <= 0 ? -1 : serverCpuCores / ackedPerSecond * 1e6;
    }
}
