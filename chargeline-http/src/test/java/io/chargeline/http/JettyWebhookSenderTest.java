package io.chargeline.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsServer;
import io.chargeline.core.webhook.AddressRange;
import io.chargeline.core.webhook.HostResolver;
import io.chargeline.core.webhook.WebhookTargetPolicy;
import io.chargeline.core.webhook.WebhookTargetRefusedException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The webhook sender against real HTTP(S) receivers on loopback. Names are answered by a scripted DNS (real DNS
 * never resolves {@code .invalid} or {@code .example} to loopback), so a request that arrives at all came
 * through the policy's resolution.
 */
class JettyWebhookSenderTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final List<AddressRange> LOOPBACK_ALLOWED = List.of(AddressRange.parse("127.0.0.0/8"));
    private static final byte[] BODY = "{\"id\":\"1\"}".getBytes(StandardCharsets.UTF_8);
    private static final Map<String, String> HEADERS = Map.of("Content-Type", "application/json",
            "User-Agent", "Chargeline-Webhooks/1", "X-Chargeline-Event", "alarm.raised");

    private final ScriptedDns dns = new ScriptedDns();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> closeables = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    @Test
    void post_goesToTheAddressTheNameWasCheckedAs_withTheUrlsHostAsHost() throws Exception {
        HttpServer http = http(200);
        dns.answer("receiver.invalid", "127.0.0.1");
        URI url = URI.create("http://receiver.invalid:" + http.getAddress().getPort() + "/hook?x=1&y=%20");

        int status = sender(LOOPBACK_ALLOWED).post(url, BODY, HEADERS);

        assertThat(status).isEqualTo(200);
        assertThat(dns.asked).containsExactly("receiver.invalid");
        assertThat(received).singleElement().satisfies(r -> {
            assertThat(r.method).isEqualTo("POST");
            assertThat(r.target).isEqualTo("/hook?x=1&y=%20");
            assertThat(r.header("Host")).containsExactly("receiver.invalid:" + http.getAddress().getPort());
            assertThat(r.header("Content-Type")).containsExactly("application/json");
            assertThat(r.header("User-Agent")).containsExactly("Chargeline-Webhooks/1");
            assertThat(r.header("Accept-Encoding")).isEmpty();
            assertThat(r.header("X-Chargeline-Event")).containsExactly("alarm.raised");
            assertThat(r.body).isEqualTo(BODY);
        });
    }

    @Test
    void aNameWithSeveralCheckedAddresses_isTriedAtTheNextWhenOneRefusesTheConnection() throws Exception {
        HttpServer http = http(204); // listens on 127.0.0.1 only; nothing answers on 127.0.0.2
        dns.answer("two.invalid", "127.0.0.2", "127.0.0.1");

        int status = sender(LOOPBACK_ALLOWED).post(URI.create("http://two.invalid:" + http.getAddress().getPort() + "/"),
                BODY, HEADERS);

        assertThat(status).isEqualTo(204);
        assertThat(received).hasSize(1);
    }

    @Test
    void aRedirect_isTheAnswer_andIsNotFollowed() throws Exception {
        HttpServer elsewhere = http(204);
        HttpServer redirecting = HttpServer.create(new InetSocketAddress(LOOPBACK, 0), 0);
        redirecting.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().add("Location", "http://127.0.0.1:" + elsewhere.getAddress().getPort() + "/");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        start(redirecting);
        dns.answer("hooks.invalid", "127.0.0.1");

        int status = sender(LOOPBACK_ALLOWED).post(URI.create("http://hooks.invalid:" + redirecting.getAddress().getPort()
                + "/"), BODY, HEADERS);

        assertThat(status).isEqualTo(302);
        assertThat(received).as("nothing reached the redirect's target").isEmpty();
    }

    @Test
    void https_sendsTheUrlsHostAsServerName_andChecksTheCertificateAgainstIt() throws Exception {
        TestCertificates certs = TestCertificates.forName("receiver.invalid");
        HttpsServer https = https(certs.server);
        dns.answer("receiver.invalid", "127.0.0.1");

        int status = sender(LOOPBACK_ALLOWED, certs.trustingClient).post(URI.create("https://receiver.invalid:"
                + https.getAddress().getPort() + "/hook"), BODY, HEADERS);

        assertThat(status).isEqualTo(204);
        assertThat(received).singleElement().satisfies(r -> {
            assertThat(r.serverNames).containsExactly(new SNIHostName("receiver.invalid"));
            assertThat(r.header("Host")).containsExactly("receiver.invalid:" + https.getAddress().getPort());
            assertThat(r.body).isEqualTo(BODY);
        });
    }

    @Test
    void https_toACertificateForAnotherName_failsTheHandshake_andSendsNothing() throws Exception {
        TestCertificates certs = TestCertificates.forName("other.invalid");
        HttpsServer https = https(certs.server);
        dns.answer("receiver.invalid", "127.0.0.1");
        URI url = URI.create("https://receiver.invalid:" + https.getAddress().getPort() + "/hook");

        assertThatThrownBy(() -> sender(LOOPBACK_ALLOWED, certs.trustingClient).post(url, BODY, HEADERS))
                .isInstanceOf(SSLHandshakeException.class);
        assertThat(received).isEmpty();
    }

    @Test
    void https_toACertificateNoTrustedCaSigned_failsTheHandshake_andSendsNothing() throws Exception {
        TestCertificates certs = TestCertificates.forName("receiver.invalid");
        HttpsServer https = https(certs.server);
        dns.answer("receiver.invalid", "127.0.0.1");
        URI url = URI.create("https://receiver.invalid:" + https.getAddress().getPort() + "/hook");
        JettyWebhookSender production = JettyWebhookSender.start(policy(LOOPBACK_ALLOWED)); // the JDK's CAs
        closeables.add(production);

        assertThatThrownBy(() -> production.post(url, BODY, HEADERS)).isInstanceOf(SSLHandshakeException.class);
        assertThat(received).isEmpty();
    }

    @Test
    void aReceiverThatNeverAnswers_timesOut() throws Exception {
        int port = silentReceiver();
        dns.answer("hooks.invalid", "127.0.0.1");

        JettyWebhookSender impatient = JettyWebhookSender.start(policy(LOOPBACK_ALLOWED), SSLContext.getDefault(),
                Duration.ofSeconds(2), Duration.ofMillis(500));
        closeables.add(impatient);

        assertThatThrownBy(() -> impatient.post(URI.create("http://hooks.invalid:" + port + "/"), BODY, HEADERS))
                .isInstanceOf(SocketTimeoutException.class);
    }

    @ParameterizedTest(name = "to {0}")
    @ValueSource(strings = {"169.254.169.254", "127.0.0.1"})
    void aNameThatMovesToARefusedAddress_afterItsCheck_isRefusedWhenConnecting_andNothingIsSent(String rebound)
            throws Exception {
        HttpServer http = http(204); // on loopback: were 127.0.0.1 not refused, the request would land here
        WebhookTargetPolicy policy = policy(List.of());
        dns.answer("hooks.example", "203.0.113.10");
        assertThat(policy.checkedAddresses("hooks.example")).as("the check at registration passes").isNotEmpty();

        dns.answer("hooks.example", rebound); // DNS rebinding: the same name, now an internal address
        URI url = URI.create("http://hooks.example:" + http.getAddress().getPort() + "/in");

        assertThatThrownBy(() -> sender(policy).post(url, BODY, HEADERS))
                .isInstanceOf(WebhookTargetRefusedException.class)
                .hasMessageStartingWith("hooks.example resolves to " + rebound + ", a ");
        assertThat(received).isEmpty();
    }

    @Test
    void aLiteralRefusedAddress_isRefused_andNothingIsSent() throws Exception {
        HttpServer http = http(204);
        URI url = URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/api/v1/devices");

        assertThatThrownBy(() -> sender(policy(List.of())).post(url, BODY, HEADERS))
                .isInstanceOf(WebhookTargetRefusedException.class)
                .hasMessageStartingWith("127.0.0.1 is a loopback address (127.0.0.0/8)");
        assertThat(received).isEmpty();
        assertThat(dns.asked).as("a literal is not looked up").isEmpty();
    }

    @Test
    void aNameThatDoesNotResolve_isAnUnknownHost_notARefusal() {
        assertThatThrownBy(() -> sender(LOOPBACK_ALLOWED).post(URI.create("http://nowhere.invalid/"), BODY, HEADERS))
                .isInstanceOf(UnknownHostException.class);
    }

    private JettyWebhookSender sender(List<AddressRange> allowed) throws Exception {
        return sender(allowed, SSLContext.getDefault());
    }

    private JettyWebhookSender sender(List<AddressRange> allowed, SSLContext tls) {
        return sender(policy(allowed), tls);
    }

    private JettyWebhookSender sender(WebhookTargetPolicy policy) throws Exception {
        return sender(policy, SSLContext.getDefault());
    }

    private JettyWebhookSender sender(WebhookTargetPolicy policy, SSLContext tls) {
        JettyWebhookSender sender = JettyWebhookSender.start(policy, tls, JettyWebhookSender.CONNECT_TIMEOUT,
                JettyWebhookSender.TOTAL_TIMEOUT);
        closeables.add(sender);
        return sender;
    }

    private WebhookTargetPolicy policy(List<AddressRange> allowed) {
        return new WebhookTargetPolicy(allowed, Set::of, dns);
    }

    private HttpServer http(int status) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(LOOPBACK, 0), 0);
        http.createContext("/", exchange -> {
            received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
                    Map.copyOf(exchange.getRequestHeaders()), exchange.getRequestBody().readAllBytes(), List.of()));
            byte[] answer = status == 204 ? new byte[0] : "thanks".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        start(http);
        return http;
    }

    private HttpsServer https(SSLContext tls) throws IOException {
        HttpsServer https = HttpsServer.create(new InetSocketAddress(LOOPBACK, 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(tls));
        https.createContext("/", exchange -> {
            ExtendedSSLSession session = (ExtendedSSLSession) ((HttpsExchange) exchange).getSSLSession();
            received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
                    Map.copyOf(exchange.getRequestHeaders()), exchange.getRequestBody().readAllBytes(),
                    List.copyOf(session.getRequestedServerNames())));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        start(https);
        return https;
    }

    private void start(HttpServer server) {
        server.start();
        closeables.add(() -> server.stop(0));
    }

    /** A one-connection receiver that reads the request and never answers. */
    private int silentReceiver() throws IOException {
        ServerSocket socket = new ServerSocket(0, 1, LOOPBACK);
        closeables.add(socket);
        Thread t = new Thread(() -> {
            try (Socket s = socket.accept()) {
                InputStream in = s.getInputStream();
                in.readAllBytes(); // hold the connection until the client gives up
            } catch (IOException e) {
                // the client went away; nothing to check here
            }
        }, "silent-receiver");
        t.setDaemon(true);
        t.start();
        return socket.getLocalPort();
    }

    /** Answers the names it was told, records every name it was asked; any other name does not resolve. */
    private static final class ScriptedDns implements HostResolver {
        final List<String> asked = new CopyOnWriteArrayList<>();
        private final Map<String, List<InetAddress>> answers = new ConcurrentHashMap<>();

        void answer(String host, String... literals) {
            answers.put(host, Arrays.stream(literals).map(l -> AddressRange.literal(l).orElseThrow()).toList());
        }

        @Override
        public List<InetAddress> resolve(String host) throws UnknownHostException {
            asked.add(host);
            List<InetAddress> addresses = answers.get(host);
            if (addresses == null) {
                throw new UnknownHostException(host);
            }
            return addresses;
        }
    }

    private record Received(String method, String target, Map<String, List<String>> headers, byte[] body,
            List<SNIServerName> serverNames) {
        List<String> header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).findFirst()
                    .map(Map.Entry::getValue).orElse(List.of());
        }
    }
}
