package io.chargeline.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SocketWebhookSenderTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final byte[] BODY = "{\"id\":\"1\"}".getBytes(StandardCharsets.UTF_8);
    private static final Map<String, String> HEADERS = Map.of("Content-Type", "application/json",
            "X-Chargeline-Event", "alarm.raised");

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> servers = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable s : servers) {
            s.close();
        }
    }

    @Test
    void post_goesToTheGivenAddress_withTheUrlsHostAsHost_andNoNameLookup() throws Exception {
        HttpServer http = http(204);
        // receiver.invalid cannot resolve: the request arriving proves the sender used the given address
        URI url = URI.create("http://receiver.invalid:" + http.getAddress().getPort() + "/hook?x=1&y=%20");

        int status = sender(SSLContext.getDefault()).post(url, LOOPBACK, BODY, HEADERS);

        assertThat(status).isEqualTo(204);
        assertThat(received).singleElement().satisfies(r -> {
            assertThat(r.method).isEqualTo("POST");
            assertThat(r.target).isEqualTo("/hook?x=1&y=%20");
            assertThat(r.host).isEqualTo("receiver.invalid:" + http.getAddress().getPort());
            assertThat(r.event).isEqualTo("alarm.raised");
            assertThat(r.body).isEqualTo(BODY);
        });
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

        int status = sender(SSLContext.getDefault()).post(URI.create("http://hooks.invalid:"
                + redirecting.getAddress().getPort() + "/"), LOOPBACK, BODY, HEADERS);

        assertThat(status).isEqualTo(302);
        assertThat(received).as("nothing reached the redirect's target").isEmpty();
    }

    @Test
    void https_sendsTheUrlsHostAsServerName_andChecksTheCertificateAgainstIt() throws Exception {
        TestCertificates certs = TestCertificates.forName("receiver.invalid");
        HttpsServer https = https(certs.server);

        int status = sender(certs.trustingClient).post(URI.create("https://receiver.invalid:" + https.getAddress().getPort()
                + "/hook"), LOOPBACK, BODY, HEADERS);

        assertThat(status).isEqualTo(204);
        assertThat(received).singleElement().satisfies(r -> {
            assertThat(r.serverNames).containsExactly(new SNIHostName("receiver.invalid"));
            assertThat(r.body).isEqualTo(BODY);
        });
    }

    @Test
    void https_toACertificateForAnotherName_failsTheHandshake_andSendsNothing() throws Exception {
        TestCertificates certs = TestCertificates.forName("other.invalid");
        HttpsServer https = https(certs.server);
        URI url = URI.create("https://receiver.invalid:" + https.getAddress().getPort() + "/hook");

        assertThatThrownBy(() -> sender(certs.trustingClient).post(url, LOOPBACK, BODY, HEADERS))
                .isInstanceOf(SSLHandshakeException.class);
        assertThat(received).isEmpty();
    }

    @Test
    void https_toAnUntrustedCertificate_failsTheHandshake() throws Exception {
        TestCertificates certs = TestCertificates.forName("receiver.invalid");
        HttpsServer https = https(certs.server);
        URI url = URI.create("https://receiver.invalid:" + https.getAddress().getPort() + "/hook");

        assertThatThrownBy(() -> new SocketWebhookSender().post(url, LOOPBACK, BODY, HEADERS))
                .isInstanceOf(SSLHandshakeException.class);
        assertThat(received).isEmpty();
    }

    @Test
    void informationalAnswers_areSkipped_andBareLineFeedsAccepted() throws Exception {
        int port = scripted("\r\nHTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\nContent-Length: 0\n\n");

        assertThat(sender(SSLContext.getDefault()).post(URI.create("http://hooks.invalid:" + port + "/"), LOOPBACK, BODY,
                HEADERS)).isEqualTo(201);
    }

    @Test
    void somethingThatIsNotHttp_isAnError() throws Exception {
        int port = scripted("SSH-2.0-OpenSSH_9.2\r\n\r\n");

        assertThatThrownBy(() -> sender(SSLContext.getDefault()).post(URI.create("http://hooks.invalid:" + port + "/"),
                LOOPBACK, BODY, HEADERS)).isInstanceOf(IOException.class).hasMessageContaining("HTTP/1.x");
    }

    @Test
    void aReceiverThatNeverAnswers_timesOut() throws Exception {
        int port = scripted(null);

        assertThatThrownBy(() -> sender(SSLContext.getDefault()).post(URI.create("http://hooks.invalid:" + port + "/"),
                LOOPBACK, BODY, HEADERS)).isInstanceOf(SocketTimeoutException.class);
    }

    private static SocketWebhookSender sender(SSLContext tls) {
        return new SocketWebhookSender(tls, Duration.ofMillis(500));
    }

    private HttpServer http(int status) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(LOOPBACK, 0), 0);
        http.createContext("/", exchange -> {
            received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
                    exchange.getRequestHeaders().getFirst("Host"), exchange.getRequestHeaders().getFirst("X-Chargeline-Event"),
                    exchange.getRequestBody().readAllBytes(), List.of()));
            exchange.sendResponseHeaders(status, -1);
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
                    exchange.getRequestHeaders().getFirst("Host"), exchange.getRequestHeaders().getFirst("X-Chargeline-Event"),
                    exchange.getRequestBody().readAllBytes(), List.copyOf(session.getRequestedServerNames())));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        start(https);
        return https;
    }

    private void start(HttpServer server) {
        server.start();
        servers.add(() -> server.stop(0));
    }

    /** A one-connection server that reads the request and writes {@code answer} (null: never answers). */
    private int scripted(String answer) throws IOException {
        ServerSocket socket = new ServerSocket(0, 1, LOOPBACK);
        servers.add(socket);
        Thread t = new Thread(() -> {
            try (Socket s = socket.accept()) {
                InputStream in = s.getInputStream();
                in.readNBytes(in.available() > 0 ? in.available() : 1);
                if (answer == null) {
                    in.readAllBytes(); // hold the connection until the client gives up
                    return;
                }
                s.getOutputStream().write(answer.getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                in.readAllBytes();
            } catch (IOException e) {
                // the client went away; nothing to check here
            }
        }, "scripted-receiver");
        t.setDaemon(true);
        t.start();
        return socket.getLocalPort();
    }

    private record Received(String method, String target, String host, String event, byte[] body,
            List<javax.net.ssl.SNIServerName> serverNames) {}
}
