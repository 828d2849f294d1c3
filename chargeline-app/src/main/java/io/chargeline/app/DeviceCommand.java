package io.chargeline.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chargeline.core.device.ClientKind;
import io.chargeline.pki.Pem;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code chargeline device create|revoke}: provisioning through the HTTP API of a running server. */
@Command(name = "device", mixinStandardHelpOptions = true, description = "Provision or revoke chargers on a running server.",
        subcommands = {DeviceCommand.Create.class, DeviceCommand.Revoke.class})
final class DeviceCommand {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Where the server is and how to authenticate to it. */
    static final class Server {
        @Option(names = "--server", defaultValue = "${env:CHARGELINE_SERVER:-http://127.0.0.1:8080}",
                description = "Base URL of the HTTP API. Default: ${DEFAULT-VALUE}")
        URI server;

        @Option(names = "--api-key", defaultValue = "${env:CHARGELINE_ADMIN_API_KEY}",
                description = "Admin API key (default: read from <data-dir>/admin-api-key)")
        String apiKey;

        @Option(names = "--data-dir", defaultValue = "${env:CHARGELINE_DATA_DIR:-./data}",
                description = "Data directory whose admin-api-key to use. Default: ${DEFAULT-VALUE}")
        Path dataDir;

        String apiKey() throws IOException {
            if (apiKey != null && !apiKey.isBlank()) {
                return apiKey;
            }
            Path file = dataDir.resolve(AdminKey.FILE);
            if (!Files.exists(file)) {
                throw new IllegalArgumentException("no API key: pass --api-key, set CHARGELINE_ADMIN_API_KEY, or point "
                        + "--data-dir at the server's data directory (" + file + " does not exist)");
            }
            return Files.readString(file).trim();
        }

        HttpResponse<String> send(String method, String path, String body) throws IOException, InterruptedException {
            HttpRequest.Builder request = HttpRequest.newBuilder(server.resolve(path))
                    .timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + apiKey())
                    .header("Content-Type", "application/json")
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body));
            try {
                return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
            } catch (java.net.ConnectException e) {
                throw new IllegalStateException("cannot reach " + server + "; is `chargeline start` running?");
            }
        }
    }

    static String failure(HttpResponse<String> response) {
        try {
            JsonNode problem = JSON.readTree(response.body());
            return "HTTP " + response.statusCode() + ": " + problem.path("detail").asText(response.body());
        } catch (IOException e) {
            return "HTTP " + response.statusCode() + ": " + response.body();
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Provision a charger and write ID.crt, ID.key (0600) and ca.crt into --out.")
    static final class Create extends CreateCertificate {
        @Parameters(index = "0", paramLabel = "CHARGER_ID", description = "Charger id ([A-Za-z0-9_-]{1,128})")
        String chargerId;

        Create() {
            super(ClientKind.CHARGER, "/api/v1/devices");
        }

        @Override
        String id() {
            return chargerId;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revoke a charger's certificate; its live connection is dropped.")
    static final class Revoke extends RevokeCertificate {
        @Parameters(index = "0", paramLabel = "CHARGER_ID")
        String chargerId;

        Revoke() {
            super(ClientKind.CHARGER, "/api/v1/devices");
        }

        @Override
        String id() {
            return chargerId;
        }
    }

    /** Creates a charger's or an operator's certificate through the API and writes the PEM files. */
    abstract static class CreateCertificate implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Server server;

        @Option(names = "--out", required = true, description = "Directory for the certificate files")
        Path out;

        private final ClientKind kind;
        private final String path;

        CreateCertificate(ClientKind kind, String path) {
            this.kind = kind;
            this.path = path;
        }

        abstract String id();

        @Override
        public Integer call() throws Exception {
            PrintWriter console = spec.commandLine().getOut();
            String id = kind.requireId(id());
            String body = JSON.createObjectNode().put(kind.idField(), id).toString();
            HttpResponse<String> response = server.send("POST", path, body);
            if (response.statusCode() != 201) {
                spec.commandLine().getErr().println("error: " + failure(response));
                return 1;
            }
            JsonNode created = JSON.readTree(response.body());
            Files.createDirectories(out);
            Files.writeString(out.resolve(id + ".crt"), created.get("certificatePem").asText());
            Pem.writeSecret(out.resolve(id + ".key"), created.get("privateKeyPem").asText());
            Files.writeString(out.resolve("ca.crt"), created.get("caCertificatePem").asText());
            console.printf("Provisioned %s: %s, %s (0600), %s%n", kind.commonName(id), out.resolve(id + ".crt"),
                    out.resolve(id + ".key"), out.resolve("ca.crt"));
            if (kind == ClientKind.OPERATOR) {
                console.printf("Connect with MQTT client id %s and subscribe to $chargeline/alarms/#%n", kind.commonName(id));
            }
            console.flush();
            return 0;
        }
    }

    /** Revokes a charger's or an operator's certificate through the API. */
    abstract static class RevokeCertificate implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Server server;

        private final ClientKind kind;
        private final String path;

        RevokeCertificate(ClientKind kind, String path) {
            this.kind = kind;
            this.path = path;
        }

        abstract String id();

        @Override
        public Integer call() throws Exception {
            String id = kind.requireId(id());
            HttpResponse<String> response = server.send("DELETE", path + "/" + id, null);
            if (response.statusCode() != 200) {
                spec.commandLine().getErr().println("error: " + failure(response));
                return 1;
            }
            spec.commandLine().getOut().printf("Revoked %s%n", kind.commonName(id));
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
