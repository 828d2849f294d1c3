package io.chargeline.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VerificationTest {

    @Test
    void storedAtLeastAcked_forEveryCharger_isNoLoss() throws Exception {
        Map<String, Long> acked = Map.of("a", 10L, "b", 5L);

        // b has more stored than acknowledged: committed, but the PUBACK was still in flight at the end
        Verification v = Verification.check(acked, id -> id.equals("a") ? 10 : 7);

        assertThat(v.lostNothing()).isTrue();
        assertThat(v.missing()).isZero();
        assertThat(v.acked()).isEqualTo(15);
        assertThat(v.stored()).isEqualTo(17);
    }

    @Test
    void anyChargerShort_isReportedWithItsShortfall_evenIfTotalsMatch() throws Exception {
        Map<String, Long> acked = new LinkedHashMap<>();
        acked.put("a", 10L);
        acked.put("b", 5L);

        Verification v = Verification.check(acked, id -> id.equals("a") ? 7 : 8);

        assertThat(v.lostNothing()).isFalse();
        assertThat(v.shortfall()).containsExactly(Map.entry("a", 3L));
        assertThat(v.missing()).isEqualTo(3);
    }
}
