package io.chargeline.core.device;

import io.chargeline.core.InvalidRequestException;

/** The charger id format of the wire contract: {@code ^[A-Za-z0-9_-]{1,128}$}. */
public final class ChargerIds {
    public static final int MAX_LENGTH = 128;

    private ChargerIds() {}

    /** Checked on every message (topic and payload), so a plain loop rather than a regex matcher. */
    public static boolean isValid(String chargerId) {
        if (chargerId == null || chargerId.isEmpty() || chargerId.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < chargerId.length(); i++) {
            char c = chargerId.charAt(i);
            boolean allowed = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '_' || c == '-';
            if (!allowed) {
                return false;
            }
        }
        return true;
    }

    /** Returns the id or throws a client error naming what is wrong with it. */
    public static String require(String chargerId) {
        if (!isValid(chargerId)) {
            throw new InvalidRequestException("chargerId must match ^[A-Za-z0-9_-]{1,128}$");
        }
        return chargerId;
    }
}
