package io.chargeline.core.telemetry;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Reads a stored record's {@code data} back as a tree for readers that pick it apart (field selection, CSV), with
 * its numbers exact as validated: 1.10 stays 1.10, as it does when {@code data} is passed on as stored.
 */
public final class StoredData {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    private StoredData() {}

    /** The tree of {@code dataJson}, which the validator accepted before it was stored. */
    public static JsonNode parse(String dataJson) {
        try {
            return JSON.readTree(dataJson);
        } catch (IOException e) {
            throw new UncheckedIOException("stored data is not JSON", e);
        }
    }
}
