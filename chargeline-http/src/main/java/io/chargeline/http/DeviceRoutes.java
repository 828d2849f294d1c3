package io.chargeline.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chargeline.core.ChargerIds;
import io.chargeline.core.Device;
import io.chargeline.core.DeviceService;
import io.chargeline.core.InvalidRequestException;
import io.chargeline.core.IssuedCertificate;
import io.chargeline.core.NotFoundException;
import io.chargeline.core.Page;
import io.javalin.http.Context;

/** Provisioning: create (server-generated key or CSR), list, revoke. */
final class DeviceRoutes {
    private final DeviceService devices;

    DeviceRoutes(DeviceService devices) {
        this.devices = devices;
    }

    /** POST /api/v1/devices {"chargerId"[, "csrPem"]} */
    void create(Context ctx) {
        JsonNode body = Json.object(ctx.bodyAsBytes());
        String chargerId = Json.text(body, "chargerId");
        if (chargerId == null) {
            throw new InvalidRequestException("chargerId is required");
        }
        String csrPem = Json.text(body, "csrPem");
        IssuedCertificate issued = devices.provision(chargerId, csrPem);
        ObjectNode out = Json.MAPPER.createObjectNode()
                .put("chargerId", chargerId)
                .put("certificatePem", issued.certificatePem());
        if (issued.privateKeyPem() != null) {
            out.put("privateKeyPem", issued.privateKeyPem());
        }
        out.put("caCertificatePem", devices.caCertificatePem())
                .put("certificateSerial", issued.serial())
                .put("notAfter", Json.time(issued.notAfter()));
        ctx.status(201)
                .header("Location", "/api/v1/devices/" + chargerId)
                .header("Cache-Control", "no-store")
                .contentType("application/json")
                .result(Json.bytes(out));
    }

    /** GET /api/v1/devices?limit=&cursor= */
    void list(Context ctx) {
        Page<Device> page = devices.list(cursor(ctx), QueryParams.limit(ctx, 100, 1000));
        ctx.contentType("application/json").result(Json.bytes(Json.list(page.items(), DeviceRoutes::device,
                page.nextCursor())));
    }

    /** GET /api/v1/devices/{chargerId} */
    void get(Context ctx) {
        String chargerId = ChargerIds.require(ctx.pathParam("chargerId"));
        Device device = devices.find(chargerId)
                .orElseThrow(() -> new NotFoundException("charger " + chargerId + " is not provisioned"));
        ctx.contentType("application/json").result(Json.bytes(device(device)));
    }

    /** DELETE /api/v1/devices/{chargerId}: revokes the certificate and drops the live connection. */
    void revoke(Context ctx) {
        Device device = devices.revoke(ctx.pathParam("chargerId"));
        ctx.contentType("application/json").result(Json.bytes(device(device)));
    }

    private static String cursor(Context ctx) {
        String cursor = ctx.queryParam("cursor");
        if (cursor != null && !ChargerIds.isValid(cursor)) {
            throw new InvalidRequestException("cursor is not one this server issued");
        }
        return cursor;
    }

    private static ObjectNode device(Device d) {
        return Json.MAPPER.createObjectNode()
                .put("chargerId", d.chargerId())
                .put("status", d.isRevoked() ? "revoked" : "active")
                .put("certificateSerial", d.certificateSerial())
                .put("createdAt", Json.time(d.createdAt()))
                .put("notAfter", Json.time(d.notAfter()))
                .put("revokedAt", Json.time(d.revokedAt()));
    }
}
