package io.chargeline.tools.simulator;

import io.chargeline.pki.PemKeyStores;
import io.chargeline.tools.bench.DeviceIdentity;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import javax.net.ssl.SSLContext;

/**
 * Downloads update artifacts the way a charger does: over HTTPS with its own device certificate, hashing the
 * bytes as they arrive (nothing is kept). Only artifacts served by the Chargeline server the fleet talks to are
 * fetched; other URLs are simulated.
 */
final class ArtifactDownloads {
    /** What a download found: how many bytes and their SHA-256. */
    record Downloaded(long bytes, String sha256) {}

    private final String serverHost;
    private final String caPem;
    private final ExecutorService hashing;

    ArtifactDownloads(String serverHost, String caPem, ExecutorService hashing) {
        this.serverHost = serverHost;
        this.caPem = caPem;
        this.hashing = hashing;
    }

    /** True for an artifact URL of the server this fleet is connected to. */
    boolean servedByOurServer(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return "https".equals(uri.getScheme()) && serverHost.equals(uri.getHost())
                && uri.getPath() != null && uri.getPath().startsWith("/device/v1/artifacts/");
    }

    CompletableFuture<Downloaded> fetch(DeviceIdentity device, String url) {
        // the client delivers the body on its own threads; reading it blocks one of ours, so they must differ
        HttpClient client = HttpClient.newBuilder().sslContext(tls(device)).connectTimeout(Duration.ofSeconds(10))
                .build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(10)).build();
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream()).thenApplyAsync(response -> {
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    throw new IOException("HTTP " + response.statusCode());
                }
                MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
                byte[] buffer = new byte[64 * 1024];
                long total = 0;
                for (int n; (n = body.read(buffer)) != -1; ) {
                    sha256.update(buffer, 0, n);
                    total += n;
                }
                return new Downloaded(total, HexFormat.of().formatHex(sha256.digest()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }, hashing);
    }

    private SSLContext tls(DeviceIdentity device) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(PemKeyStores.keyManagers(device.certificatePem(), device.privateKeyPem()).getKeyManagers(),
                    PemKeyStores.trustManagers(caPem).getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the TLS context of " + device.chargerId(), e);
        }
    }
}
