package io.chargeline.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chargeline.core.InvalidRequestException;
import io.chargeline.core.Page;
import io.chargeline.core.device.ClientKind;
import io.chargeline.core.device.Device;
import io.chargeline.core.device.DeviceService;
import io.chargeline.core.device.IssuedCertificate;
import io.javalin.http.Context;
import java.util.Set;

/**
 * Provisioning of client certificates: create (server-generated key or CSR), list, get, revoke. Serves chargers
 * under {@code /api/v1/devices} (id field {@code chargerId}) and operators under {@code /api/v1/operators} (id
 * field {@code name}).
 */
final class DeviceRoutes {
    static final String ID = "id";

    private final DeviceService registry;
    private final ClientKind kind;
    private final String basePath;

    private final ListCursor cursor;

    DeviceRoutes(DeviceService registry, String basePath, ListCursor cursor) {
        this.registry = registry;
        this.kind = registry.kind();
        this.basePath = basePath;
        this.cursor = cursor;
    }

    /** POST {"chargerId" | "name"[, "csrPem"]} */
    void create(Context ctx) {
        JsonNode body = Json.object(ctx.bodyAsBytes(), Set.of(kind.idField(), "csrPem"));
        String id = Json.text(body, kind.idField());
        if (id == null) {
            throw new InvalidRequestException(kind.idField() + " is required");
        }
        String csrPem = Json.text(body, "csrPem");
        IssuedCertificate issued = registry.provision(id, csrPem);
        ObjectNode out = Json.MAPPER.createObjectNode()
                .put(kind.idField(), id)
                .put("clientId", kind.commonName(id))
                .put("certificatePem", issued.certificatePem());
        if (issued.privateKeyPem() != null) {
            out.put("privateKeyPem", issued.privateKeyPem());
        }
        out.put("caCertificatePem", registry.caCertificatePem())
                .put("certificateSerial", issued.serial())
                .put("notAfter", Json.time(issued.notAfter()));
        ctx.status(201)
                .header("Location", basePath + "/" + id)
                .header("Cache-Control", "no-store")
                .contentType("application/json")
                .result(Json.bytes(out));
    }

    /** GET ?limit=&cursor= */
    void list(Context ctx) {
        Page<Device> page = registry.list(QueryParams.cursor(ctx, cursor), QueryParams.limit(ctx));
        ctx.contentType("application/json").result(Json.bytes(Json.page(page, this::json, cursor)));
    }

    /** GET /{id} */
    void get(Context ctx) {
        ctx.contentType("application/json").result(Json.bytes(json(registry.require(ctx.pathParam(ID)))));
    }

    /** DELETE /{id}: revokes the certificate and drops the live connection. */
    void revoke(Context ctx) {
        Device device = registry.revoke(ctx.pathParam(ID));
        ctx.contentType("application/json").result(Json.bytes(json(device)));
    }

    private ObjectNode json(Device d) {
        return Json.MAPPER.createObjectNode()
                .put(kind.idField(), d.chargerId())
                .put("status", d.isRevoked() ? "revoked" : "active")
                .put("certificateSerial", d.certificateSerial())
                .put("createdAt", Json.time(d.createdAt()))
                .put("notAfter", Json.time(d.notAfter()))
                .put("revokedAt", Json.time(d.revokedAt()));
    }
}
