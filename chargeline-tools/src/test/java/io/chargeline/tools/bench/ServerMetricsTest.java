package io.chargeline.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ServerMetricsTest {

    @Test
    void meansComeFromSumsAndCounts() {
        String text = """
                # HELP chargeline_ingest_batch_size messages per group commit
                chargeline_ingest_batch_size_count 4.0
                chargeline_ingest_batch_size_sum 1000.0
                chargeline_ingest_batch_latency_seconds_count 4
                chargeline_ingest_batch_latency_seconds_sum 0.02
                """;

        ServerMetrics m = ServerMetrics.between("", text);

        assertThat(m.commits()).isEqualTo(4);
        assertThat(m.meanBatchSize()).isEqualTo(250);
        assertThat(m.meanCommitMillis()).isCloseTo(5, within(1e-9));
    }

    @Test
    void theWindow_countsOnlyWhatHappenedBetweenTheScrapes() {
        String before = """
                chargeline_ingest_batch_size_count 10.0
                chargeline_ingest_batch_size_sum 100.0
                chargeline_ingest_batch_latency_seconds_count 10
                chargeline_ingest_batch_latency_seconds_sum 1.0
                chargeline_puback_latency_seconds_bucket{le="0.001"} 0
                chargeline_puback_latency_seconds_bucket{le="0.01"} 0
                chargeline_puback_latency_seconds_bucket{le="1.0"} 100
                chargeline_puback_latency_seconds_bucket{le="+Inf"} 100
                """;
        String after = """
                chargeline_ingest_batch_size_count 20.0
                chargeline_ingest_batch_size_sum 1100.0
                chargeline_ingest_batch_latency_seconds_count 20
                chargeline_ingest_batch_latency_seconds_sum 1.05
                chargeline_puback_latency_seconds_bucket{le="0.001"} 150
                chargeline_puback_latency_seconds_bucket{le="0.01"} 198
                chargeline_puback_latency_seconds_bucket{le="1.0"} 300
                chargeline_puback_latency_seconds_bucket{le="+Inf"} 300
                """;

        ServerMetrics m = ServerMetrics.between(before, after);

        assertThat(m.commits()).isEqualTo(10);
        assertThat(m.meanBatchSize()).isEqualTo(100);
        assertThat(m.meanCommitMillis()).isCloseTo(5, within(1e-9));
        // 200 in the window: 150 within 1 ms, 48 more within 10 ms; the 100 slow ones before it do not count
        assertThat(m.pubackP50Millis()).isEqualTo(1);
        assertThat(m.pubackP99Millis()).isEqualTo(10);
    }

    @Test
    void missingSeries_isZeroNotAnError() {
        assertThat(ServerMetrics.between("", "")).isEqualTo(new ServerMetrics(0, 0, 0, -1, -1));
    }
}
