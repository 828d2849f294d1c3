package io.chargeline.core;

import java.util.regex.Pattern;

/** The charger id format of the wire contract: {@code ^[A-Za-z0-9_-]{1,128}$}. */
public final class ChargerIds {
    private static final Pattern FORMAT = Pattern.compile("[A-Za-z0-9_-]{1,128}");

    private ChargerIds() {}

    public static boolean isValid(String chargerId) {
        return chargerId != null && FORMAT.matcher(chargerId).matches();
    }

    /** Returns the id or throws a client error naming what is wrong with it. */
    public static String require(String chargerId) {
        if (!isValid(chargerId)) {
            throw new InvalidRequestException("chargerId must match ^[A-Za-z0-9_-]{1,128}$");
        }
        return chargerId;
    }
}
