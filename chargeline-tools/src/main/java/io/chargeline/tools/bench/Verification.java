package io.chargeline.tools.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/** Acknowledged versus stored, per charger: anything acknowledged but not stored is a loss. */
public record Verification(long acked, long stored, Map<String, Long> shortfall) {

    public interface StoredCounts {
        long storedFor(String chargerId) throws Exception;
    }

    /** Compares every charger's acknowledged count with what the store holds for it. */
    public static Verification check(Map<String, Long> ackedPerDevice, StoredCounts store) throws Exception {
        long acked = 0;
        long stored = 0;
        Map<String, Long> shortfall = new LinkedHashMap<>();
        for (Map.Entry<String, Long> e : ackedPerDevice.entrySet()) {
            long s = store.storedFor(e.getKey());
            acked += e.getValue();
            stored += s;
            if (s < e.getValue()) {
                shortfall.put(e.getKey(), e.getValue() - s);
            }
        }
        return new Verification(acked, stored, shortfall);
    }

    public boolean lostNothing() {
        return shortfall.isEmpty();
    }

    public long missing() {
        return shortfall.values().stream().mapToLong(Long::longValue).sum();
    }
}
