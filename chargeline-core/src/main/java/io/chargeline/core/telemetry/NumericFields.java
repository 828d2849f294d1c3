package io.chargeline.core.telemetry;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Walks the leaves of a record's {@code data} as aggregates see them: each leaf under its dotted path (nested
 * objects joined with dots), a number as a number, and anything else that is there (text, true/false, null, an
 * array) as a value to skip. Objects are walked into, never reported themselves. Rollups and the raw reads that
 * complete them both see data through this one walk, so they agree on every record.
 */
public final class NumericFields {
    /** Leaves per record that rollups keep; a record with more makes its period's rollup incomplete. */
    public static final int MAX_FIELDS = 256;

    private static final JsonFactory JSON = new JsonFactory();

    /** What the walk reports. */
    public interface Visitor {
        void number(String path, double value);

        void other(String path);
    }

    private NumericFields() {}

    /**
     * Reports every leaf of {@code dataJson} (a JSON object as validated, or null for none) up to {@code maxLeaves};
     * returns false if there were more, which were not reported.
     */
    public static boolean walk(String dataJson, int maxLeaves, Visitor visitor) {
        if (dataJson == null) {
            return true;
        }
        try (JsonParser p = JSON.createParser(dataJson)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return true;
            }
            return walkObject(p, new StringBuilder(), new int[] {maxLeaves}, visitor);
        } catch (IOException e) {
            throw new UncheckedIOException("stored data is not JSON", e);
        }
    }

    /** Within an object, after its START_OBJECT; returns after its END_OBJECT, or false when the budget ran out. */
    private static boolean walkObject(JsonParser p, StringBuilder path, int[] budget, Visitor visitor)
            throws IOException {
        int base = path.length();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if (value == JsonToken.START_OBJECT) {
                path.setLength(base);
                if (base > 0) {
                    path.append('.');
                }
                if (!walkObject(p, path.append(name), budget, visitor)) {
                    return false;
                }
                continue;
            }
            if (--budget[0] < 0) {
                return false;
            }
            // top-level names come from the parser's symbol table, shared across records: no string is built
            String leaf = base == 0 ? name : path.substring(0, base) + '.' + name;
            if (value == JsonToken.VALUE_NUMBER_INT || value == JsonToken.VALUE_NUMBER_FLOAT) {
                visitor.number(leaf, p.getDoubleValue());
            } else {
                if (value == JsonToken.START_ARRAY) {
                    p.skipChildren();
                }
                visitor.other(leaf);
            }
        }
        path.setLength(base);
        return true;
    }
}
