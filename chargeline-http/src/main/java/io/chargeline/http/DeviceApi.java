package io.chargeline.http;

import io.chargeline.core.ForbiddenException;
import io.chargeline.core.artifact.Artifact;
import io.chargeline.core.artifact.ArtifactService;
import io.chargeline.core.device.CertificateSubjects;
import io.chargeline.core.device.ClientKind;
import io.chargeline.core.device.DeviceService;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.cert.X509Certificate;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chargers' HTTPS API, on its own port with mutual TLS: the client certificate must be a provisioned
 * charger's current one, as on MQTT. Serves update artifacts with range requests, so a charger can resume an
 * interrupted download.
 */
public final class DeviceApi implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceApi.class);
    private static final String CERTIFICATES = "jakarta.servlet.request.X509Certificate";

    /**
     * @param publicHost the host name chargers reach this port by (in artifact URLs)
     */
    public record Settings(String bindAddress, int port, Path keyStore, Path trustStore, char[] storePassword,
            String publicHost) {}

    private final Javalin app;
    private final String publicHost;

    private DeviceApi(Javalin app, String publicHost) {
        this.app = app;
        this.publicHost = publicHost;
    }

    public static DeviceApi start(Settings settings, DeviceService devices, ArtifactService artifacts) {
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.jetty.addConnector((server, http) -> mutualTlsConnector(server, http, settings));
            config.routes.before("/device/*", ctx -> requireCharger(ctx, devices));
            new Routes(config.routes).get("/device/v1/artifacts/{artifactId}", ctx -> download(ctx, artifacts));
            Problem.handleErrors(config);
        }).start();
        DeviceApi api = new DeviceApi(app, settings.publicHost());
        LOG.info("device api: HTTPS with client certificates on {}:{}", settings.bindAddress(), api.port());
        return api;
    }

    public int port() {
        return app.port();
    }

    /** Where chargers download an artifact. */
    public String artifactUrl(String artifactId) {
        return "https://" + publicHost + ":" + port() + "/device/v1/artifacts/" + artifactId;
    }

    @Override
    public void close() {
        app.stop();
        LOG.info("device api: stopped");
    }

    private static ServerConnector mutualTlsConnector(org.eclipse.jetty.server.Server server, HttpConfiguration http,
            Settings settings) {
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setKeyStorePath(settings.keyStore().toString());
        tls.setKeyStorePassword(new String(settings.storePassword()));
        tls.setTrustStorePath(settings.trustStore().toString());
        tls.setTrustStorePassword(new String(settings.storePassword()));
        tls.setNeedClientAuth(true);
        tls.setIncludeProtocols("TLSv1.3", "TLSv1.2");
        HttpConfiguration https = new HttpConfiguration(http);
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        secure.setSniHostCheck(false); // chargers may use an IP address or another name of this host
        https.addCustomizer(secure);
        ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(tls, "http/1.1"),
                new HttpConnectionFactory(https));
        connector.setHost(settings.bindAddress());
        connector.setPort(settings.port());
        return connector;
    }

    /** The TLS layer checked the chain to our CA; this checks the certificate is a charger's current one. */
    private static void requireCharger(Context ctx, DeviceService devices) {
        X509Certificate[] chain = (X509Certificate[]) ctx.req().getAttribute(CERTIFICATES);
        X509Certificate cert = chain == null || chain.length == 0 ? null : chain[0];
        String cn = cert == null ? null : CertificateSubjects.commonName(cert);
        if (cn == null || ClientKind.of(cn) != ClientKind.CHARGER || ClientKind.CHARGER.idOf(cn) == null
                || !devices.mayConnect(cn, cert.getSerialNumber().toString(16))) {
            throw new ForbiddenException("the client certificate is not a provisioned charger's current one");
        }
        ctx.attribute("chargerId", cn);
    }

    /** GET (and HEAD, with the same headers and no body) of an artifact, whole or a byte range. */
    private static void download(Context ctx, ArtifactService artifacts) throws IOException {
        Artifact artifact = artifacts.find(ctx.pathParam("artifactId"));
        Path file = artifacts.file(artifact);
        String etag = "\"" + artifact.sha256() + "\"";
        ctx.header("ETag", etag)
                .header("X-Checksum-SHA256", artifact.sha256())
                .header("Content-Disposition", ContentDisposition.attachment(artifact.name()))
                .header("Accept-Ranges", "bytes")
                .contentType("application/octet-stream");
        if (matches(ctx.header("If-None-Match"), etag)) {
            // the charger has this file already; RFC 9110 allows no Content-Length here but the 200's
            ctx.status(304).res().setContentLengthLong(artifact.size());
            return;
        }
        ByteRange range;
        try {
            range = ByteRange.parse(ctx.header("Range"), artifact.size());
        } catch (ByteRange.Unsatisfiable e) {
            ctx.header("Content-Range", "bytes */" + artifact.size());
            Problem.write(ctx, 416, "Range Not Satisfiable", "range_not_satisfiable",
                    "the artifact has " + artifact.size() + " bytes");
            return;
        }
        LOG.debug("{} downloads artifact {} ({})", (String) ctx.attribute("chargerId"), artifact.id(),
                range == null ? "whole" : range);
        long first = range == null ? 0 : range.first();
        long length = range == null ? artifact.size() : range.length();
        if (range != null) {
            ctx.status(206).header("Content-Range", "bytes " + range.first() + "-" + range.last() + "/" + artifact.size());
        }
        ctx.res().setContentLengthLong(length);
        if (ctx.method() == HandlerType.HEAD) {
            return; // the headers say it all; do not read the file for Jetty to drop
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
                OutputStream out = ctx.res().getOutputStream()) {
            channel.position(first);
            InputStream in = Channels.newInputStream(channel);
            byte[] buffer = new byte[64 * 1024];
            for (long left = length; left > 0; ) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    throw new IOException("artifact " + artifact.id() + " is shorter than recorded");
                }
                out.write(buffer, 0, n);
                left -= n;
            }
        }
    }

    /** If-None-Match: {@code *} or a list of entity tags, compared weakly (RFC 9110 13.1.2). */
    private static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String tag : ifNoneMatch.split(",")) {
            String t = tag.trim();
            if (t.equals("*") || (t.startsWith("W/") ? t.substring(2) : t).equals(etag)) {
                return true;
            }
        }
        return false;
    }
}
