package io.chargeline.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/** Checks presented API keys against the admin key in constant time; only a digest is kept in memory. */
public final class ApiKeys {
    private final byte[] adminDigest;

    public ApiKeys(String adminKey) {
        Objects.requireNonNull(adminKey, "adminKey");
        if (adminKey.length() < 16) {
            throw new IllegalArgumentException("the admin API key must be at least 16 characters");
        }
        this.adminDigest = sha256(adminKey);
    }

    public boolean isValid(String presented) {
        return presented != null && MessageDigest.isEqual(adminDigest, sha256(presented));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
