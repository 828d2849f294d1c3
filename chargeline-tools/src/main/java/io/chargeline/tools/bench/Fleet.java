package io.chargeline.tools.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.chargeline.pki.Pem;
import io.chargeline.pki.PemKeyStores;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;

/**
 * Simulated chargers with real certificates: provisioned through the API with CSRs (keys are generated
 * here and never sent), kept in a folder so a later run against the same server reuses them.
 */
public record Fleet(String caPem, List<DeviceIdentity> devices) {

    public static Fleet provision(ApiClient api, String prefix, int count, Path folder) throws IOException {
        Files.createDirectories(folder);
        List<DeviceIdentity> devices = new ArrayList<>(count);
        String caPem = null;
        for (int i = 0; i < count; i++) {
            String id = String.format("%s%05d", prefix, i);
            Path cert = folder.resolve(id + ".crt");
            Path key = folder.resolve(id + ".key");
            if (Files.exists(cert) && Files.exists(key)) {
                devices.add(new DeviceIdentity(id, Files.readString(cert), Files.readString(key)));
                continue;
            }
            KeyPair keys = PemKeyStores.newKeyPair();
            JsonNode issued = api.provisionWithCsr(id, PemKeyStores.csr(id, keys));
            String certPem = issued.get("certificatePem").asText();
            String keyPem = PemKeyStores.privateKeyPem(keys.getPrivate());
            Files.writeString(cert, certPem);
            Pem.writeSecret(key, keyPem);
            caPem = issued.get("caCertificatePem").asText();
            Files.writeString(folder.resolve("ca.crt"), caPem);
            devices.add(new DeviceIdentity(id, certPem, keyPem));
        }
        if (caPem == null) {
            caPem = Files.readString(folder.resolve("ca.crt"));
        }
        return new Fleet(caPem, devices);
    }
}
