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

        ServerMetrics m = ServerMetrics.parse(text);

        assertThat(m.commits()).isEqualTo(4);
        assertThat(m.meanBatchSize()).isEqualTo(250);
        assertThat(m.meanCommitMillis()).isCloseTo(5, within(1e-9));
    }

    @Test
    void missingSeries_isZeroNotAnError() {
        assertThat(ServerMetrics.parse("")).isEqualTo(new ServerMetrics(0, 0, 0));
    }
}
