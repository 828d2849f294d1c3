package io.chargeline.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.chargeline.core.device.GatewayMetrics.ConnectRefusal;
import io.chargeline.core.device.GatewayMetrics.DropReason;
import io.chargeline.core.device.GatewayMetrics.TopicAction;
import io.chargeline.core.telemetry.QueryMetrics.QueryKind;
import io.chargeline.core.telemetry.RejectReason;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class PrometheusMetricsTest {
    private final PrometheusMetrics metrics = new PrometheusMetrics();

    @Test
    void everyLabelledSeries_existsAtZeroBeforeItsFirstEvent() {
        String scrape = metrics.scrape();
        for (ConnectRefusal reason : ConnectRefusal.values()) {
            assertThat(scrape).contains("chargeline_connect_refused_total{reason=\"" + label(reason) + "\"} 0.0");
        }
        for (TopicAction action : TopicAction.values()) {
            assertThat(scrape).contains("chargeline_topic_refused_total{action=\"" + label(action) + "\"} 0.0");
        }
        for (DropReason reason : DropReason.values()) {
            assertThat(scrape).contains("chargeline_connections_dropped_total{reason=\"" + label(reason) + "\"} 0.0");
        }
        for (QueryKind kind : QueryKind.values()) {
            assertThat(scrape).contains("chargeline_query_duration_seconds_count{kind=\"" + label(kind) + "\"} 0");
        }
        for (RejectReason reason : RejectReason.values()) {
            assertThat(scrape).contains("chargeline_events_rejected_total{reason=\"" + reason.name() + "\"} 0.0");
        }
    }

    private static String label(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    @Test
    void events_countOnTheirOwnSeries() {
        metrics.connectRefused(ConnectRefusal.REVOKED);
        metrics.connectRefused(ConnectRefusal.REVOKED);
        metrics.topicRefused(TopicAction.SUBSCRIBE);
        metrics.connectionDropped(DropReason.KEEP_ALIVE_TIMEOUT);
        metrics.queryDuration(QueryKind.HISTORY, Duration.ofMillis(3));
        metrics.refused();

        assertThat(metrics.scrape()).contains(
                "chargeline_webhook_deliveries_total{outcome=\"refused\"} 1.0",
                "chargeline_webhook_deliveries_total{outcome=\"failed\"} 0.0",
                "chargeline_connect_refused_total{reason=\"revoked\"} 2.0",
                "chargeline_connect_refused_total{reason=\"no_certificate\"} 0.0",
                "chargeline_topic_refused_total{action=\"subscribe\"} 1.0",
                "chargeline_topic_refused_total{action=\"publish\"} 0.0",
                "chargeline_connections_dropped_total{reason=\"keep_alive_timeout\"} 1.0",
                "chargeline_query_duration_seconds_count{kind=\"history\"} 1",
                "chargeline_query_duration_seconds_count{kind=\"latest\"} 0");
    }
}
