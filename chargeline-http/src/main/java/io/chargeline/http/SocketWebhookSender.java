package io.chargeline.http;

import io.chargeline.core.webhook.AddressRange;
import io.chargeline.core.webhook.WebhookSender;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * Webhook POSTs as HTTP/1.1 over a socket of our own, connected to the address the target policy checked.
 * The JDK's HTTP clients resolve the host themselves when they connect, so a name could point elsewhere by
 * then (DNS rebinding); here the URL's host only names the receiver: the Host header, the TLS server name
 * (SNI) and the name the certificate must match, checked against the JDK's trusted CAs.
 *
 * <p>No redirect is followed (a 3xx is the answer), no proxy is used (it would resolve the name itself), the
 * connection is closed after the status line. Connecting, and then getting an answer, each time out.
 */
public final class SocketWebhookSender implements WebhookSender {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** Status line and headers of an answer; a receiver that sends more is not one. */
    private static final int MAX_HEAD = 16 * 1024;

    private final SSLSocketFactory tls;
    private final int timeoutMillis;

    /** Trusts the JDK's CAs; times out after 10 s to connect and 10 s more for the answer. */
    public SocketWebhookSender() {
        this(defaultTls(), TIMEOUT);
    }

    SocketWebhookSender(SSLContext tls, Duration timeout) {
        this.tls = Objects.requireNonNull(tls, "tls").getSocketFactory();
        this.timeoutMillis = Math.toIntExact(timeout.toMillis());
    }

    @Override
    public int post(URI url, InetAddress address, byte[] body, Map<String, String> headers) throws IOException {
        boolean https = "https".equals(url.getScheme().toLowerCase(Locale.ROOT));
        int port = url.getPort() != -1 ? url.getPort() : https ? 443 : 80;
        try (Socket socket = connect(url, address, port, https)) {
            OutputStream out = new BufferedOutputStream(socket.getOutputStream());
            out.write(requestHead(url, body.length, headers).getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            return status(socket, System.nanoTime() + Duration.ofMillis(timeoutMillis).toNanos());
        }
    }

    private Socket connect(URI url, InetAddress address, int port, boolean https) throws IOException {
        Socket raw = new Socket();
        try {
            raw.connect(new InetSocketAddress(address, port), timeoutMillis);
            raw.setSoTimeout(timeoutMillis);
            if (!https) {
                return raw;
            }
            String host = bare(url.getHost());
            SSLSocket socket = (SSLSocket) tls.createSocket(raw, host, port, true);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name the URL's host
            if (AddressRange.literal(host).isEmpty()) { // SNI carries names only, and without the root's dot
                parameters.setServerNames(List.of(new SNIHostName(host.endsWith(".")
                        ? host.substring(0, host.length() - 1) : host)));
            }
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            return socket;
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    private static String requestHead(URI url, int length, Map<String, String> headers) {
        String target = (url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath())
                + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
        StringBuilder head = new StringBuilder()
                .append("POST ").append(target).append(" HTTP/1.1\r\n")
                .append("Host: ").append(url.getHost()).append(url.getPort() == -1 ? "" : ":" + url.getPort()).append("\r\n")
                .append("Content-Length: ").append(length).append("\r\n")
                .append("Connection: close\r\n");
        headers.forEach((name, value) -> {
            if ((name + value).chars().anyMatch(c -> c < 0x20 || c > 0x7e)) {
                throw new IllegalArgumentException("header " + name + " holds a control or non-ASCII character");
            }
            head.append(name).append(": ").append(value).append("\r\n");
        });
        return head.append("\r\n").toString();
    }

    /** The status of the final answer; informational (1xx) answers before it are skipped. */
    private int status(Socket socket, long deadline) throws IOException {
        InputStream in = new BufferedInputStream(socket.getInputStream());
        while (true) {
            String statusLine = readHead(socket, in, deadline);
            if (!statusLine.matches("HTTP/1\\.[01] [1-5][0-9][0-9]( .*)?")) {
                throw new IOException("the receiver did not answer with HTTP/1.x");
            }
            int status = Integer.parseInt(statusLine.substring(9, 12));
            if (status >= 200 || status == 101) {
                return status;
            }
        }
    }

    private int remaining(long deadline) throws SocketTimeoutException {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
            throw new SocketTimeoutException("no answer within " + timeoutMillis + " ms");
        }
        return (int) Math.min(left, Integer.MAX_VALUE);
    }

    /** Reads one answer head through its empty line (CRLF, or a bare LF as lenient clients accept); returns its first line. */
    private String readHead(Socket socket, InputStream in, long deadline) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int lineLength = 0;
        while (true) {
            socket.setSoTimeout(remaining(deadline)); // a receiver dripping bytes still gets only the one deadline
            int c = in.read();
            if (c < 0) {
                throw new IOException("the receiver closed the connection before answering");
            }
            if (head.size() >= MAX_HEAD) {
                throw new IOException("the receiver's answer head is longer than " + MAX_HEAD + " bytes");
            }
            head.write(c);
            if (c == '\n') {
                if (lineLength == 0 && head.toString(StandardCharsets.ISO_8859_1).isBlank()) {
                    head.reset(); // empty lines before the status line are to be ignored (RFC 9112, 2.2)
                    continue;
                }
                if (lineLength == 0) {
                    break;
                }
                lineLength = 0;
            } else if (c != '\r') {
                lineLength++;
            }
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        return text.substring(0, text.indexOf('\n')).strip();
    }

    private static String bare(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static SSLContext defaultTls() {
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no default TLS context", e);
        }
    }
}
