package io.chargeline.core.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chargeline.core.InvalidRequestException;
import io.chargeline.core.MutableClock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WebhookRegistryTest {
    private static final String SECRET = "a-secret-of-some-length";
    private static final List<String> EVENTS = List.of("alarm.raised");

    private final InMemoryWebhookStore store = new InMemoryWebhookStore();
    private final ScriptedResolver resolver = new ScriptedResolver();
    private final WebhookRegistry registry = new WebhookRegistry(store, new MutableClock(Instant.parse("2026-11-27T10:00:00Z")),
            new WebhookTargetPolicy(List.of(), () -> Set.of(ScriptedResolver.address("198.51.100.7")), resolver));

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "http://127.0.0.1:8080/api/v1/devices | 127.0.0.1 is a loopback address (127.0.0.0/8)",
        "http://169.254.169.254/latest/meta-data | 169.254.169.254 is a link-local (cloud metadata) address",
        "http://[::1]:8080/ | ::1 is a loopback address",
        "http://[::ffff:127.0.0.1]:8080/ | 127.0.0.1 is a loopback address",
        "https://10.1.2.3/hook | private address (10.0.0.0/8)",
        "https://[fd00:ec2::254]/ | unique-local address (fc00::/7)",
        "https://198.51.100.7/ | an address of this server",
    })
    void aUrlToARefusedAddress_isRefused_andNothingIsStored(String url, String reason) {
        assertThatThrownBy(() -> registry.register(url, SECRET, EVENTS))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining(reason)
                .hasMessageContaining("--webhook-allow");
        assertThat(registry.all()).isEmpty();
        assertThat(store.webhooks()).isEmpty();
    }

    @Test
    void aNameThatResolvesToARefusedAddress_isRefused_namingBoth() {
        resolver.answer("localhost.example", "127.0.0.1");

        assertThatThrownBy(() -> registry.register("https://localhost.example/hook", SECRET, EVENTS))
                .isInstanceOf(WebhookTargetRefusedException.class)
                .hasMessageStartingWith("localhost.example resolves to 127.0.0.1, a loopback address");
        assertThat(store.webhooks()).isEmpty();
    }

    @Test
    void aNameThatDoesNotResolve_isRefused_sayingSo() {
        assertThatThrownBy(() -> registry.register("https://hooks.nowhere.invalid/x", SECRET, EVENTS))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("url host hooks.nowhere.invalid does not resolve");
        assertThat(store.webhooks()).isEmpty();
    }

    @Test
    void aUrlLongerThan2048Characters_isRefused_andOneAtTheLimitIsAccepted() {
        String prefix = "https://ops.example/";
        String fiveThousand = prefix + "a".repeat(5_000 - prefix.length());

        assertThatThrownBy(() -> registry.register(fiveThousand, SECRET, EVENTS))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("url must be at most 2048 characters, was 5000");
        assertThat(store.webhooks()).isEmpty();
        Webhook atLimit = registry.register(prefix + "a".repeat(2_048 - prefix.length()), SECRET, EVENTS);
        assertThat(atLimit.url().toString()).hasSize(2_048);
    }

    @Test
    void cheapChecks_comeBeforeTheLookup() {
        assertThatThrownBy(() -> registry.register("https://hooks.nowhere.invalid/x", "short", EVENTS))
                .hasMessageContaining("secret");
        assertThatThrownBy(() -> registry.register("https://hooks.nowhere.invalid/x", SECRET, List.of("alarm.boom")))
                .hasMessageContaining("unknown event");
    }
}
