package io.chargeline.core.device;

import io.chargeline.core.InvalidRequestException;

/**
 * Who holds a client certificate from our CA. Chargers are named by their id ({@code CN=<chargerId>});
 * operators, the MQTT clients that watch alarms, by {@code CN=operator:<name>}. A charger id cannot contain
 * a colon, so the two can never be confused.
 */
public enum ClientKind {
    CHARGER("charger", "chargerId", ""),
    OPERATOR("operator", "name", "operator:");

    private final String noun;
    private final String idField;
    private final String prefix;

    ClientKind(String noun, String idField, String prefix) {
        this.noun = noun;
        this.idField = idField;
        this.prefix = prefix;
    }

    /** The certificate CN, which is also the MQTT client id. */
    public String commonName(String id) {
        return prefix + id;
    }

    /** The kind a certificate CN names. */
    public static ClientKind of(String commonName) {
        return commonName != null && commonName.startsWith(OPERATOR.prefix) ? OPERATOR : CHARGER;
    }

    /** The id within this kind that {@code commonName} names, or null when it names none. */
    public String idOf(String commonName) {
        if (commonName == null || !commonName.startsWith(prefix)) {
            return null;
        }
        String id = commonName.substring(prefix.length());
        return ChargerIds.isValid(id) ? id : null;
    }

    /** Returns the id or throws a client error; both kinds use the wire contract's id format. */
    public String requireId(String id) {
        if (!ChargerIds.isValid(id)) {
            throw new InvalidRequestException(idField + " must match ^[A-Za-z0-9_-]{1,128}$");
        }
        return id;
    }

    public String noun() {
        return noun;
    }

    /** The JSON field that carries the id. */
    public String idField() {
        return idField;
    }
}
