package io.chargeline.core.telemetry;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/**
 * Finds numbers a 64-bit float cannot hold. Payloads are parsed with exact decimals and stored as sent, but
 * every consumer downstream (rules, JavaScript, Python, jq) reads numbers as doubles: {@code 1e999999} would
 * come back as 1.7976931348623157e308 or Infinity, {@code 1e-999999} as 0. Such values are refused instead of
 * silently changed.
 */
final class FiniteNumbers {
    private FiniteNumbers() {}

    /** The path of the first such number ({@code power}, {@code connectors[1].power}), or null if none. */
    static String firstUnrepresentable(JsonNode node) {
        return find(node, "");
    }

    private static String find(JsonNode node, String path) {
        if (node.isNumber()) {
            return fitsDouble(node) ? null : path;
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                String found = find(field.getValue(), path.isEmpty() ? field.getKey() : path + "." + field.getKey());
                if (found != null) {
                    return found;
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                String found = find(node.get(i), path + "[" + i + "]");
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    private static boolean fitsDouble(JsonNode number) {
        if (number.isIntegralNumber() && number.canConvertToLong()) {
            return true;
        }
        double value = number.doubleValue();
        if (Double.isInfinite(value) || Double.isNaN(value)) {
            return false;
        }
        // a non-zero decimal that rounds to zero has lost everything it said
        return value != 0 || number.decimalValue().signum() == 0;
    }
}
