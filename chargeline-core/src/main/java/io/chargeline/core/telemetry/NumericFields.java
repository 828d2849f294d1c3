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

    /**
     * Reports the leaves of {@code dataJson} whose path is {@code path}, as {@link #walk} would, without parsing the
     * others: objects off the path and every other value are skipped unread.
     */
    public static void find(String dataJson, String path, Visitor visitor) {
        if (dataJson == null) {
            return;
        }
        try (JsonParser p = JSON.createParser(dataJson)) {
            if (p.nextToken() == JsonToken.START_OBJECT) {
                findInObject(p, "", path, visitor);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("stored data is not JSON", e);
        }
    }

    private static void findInObject(JsonParser p, String prefix, String path, Visitor visitor) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            String full = prefix.isEmpty() ? name : prefix + '.' + name;
            JsonToken value = p.nextToken();
            if (value == JsonToken.START_OBJECT) {
                if (path.length() > full.length() && path.startsWith(full) && path.charAt(full.length()) == '.') {
                    findInObject(p, full, path, visitor);
                } else {
                    p.skipChildren();
                }
            } else if (!full.equals(path)) {
                p.skipChildren(); // a scalar is skipped by reading on
            } else if (value == JsonToken.VALUE_NUMBER_INT || value == JsonToken.VALUE_NUMBER_FLOAT) {
                visitor.number(full, p.getDoubleValue());
            } else {
                p.skipChildren();
                visitor.other(full);
            }
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
