package io.chargeline.core.telemetry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chargeline.core.InvalidRequestException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The part of a record's {@code data} a reader asked for, as in {@code fields=power,meter.energy}: top-level keys or
 * dotted paths into nested objects. Keys are only looked up, never evaluated, so any text names at most one key.
 * Fields a record lacks are left out; asking for an object and a path inside it gives the whole object.
 */
public final class DataFields {
    public static final int MAX_FIELDS = 100;
    public static final int MAX_PATH_CHARS = 256;
    /** No selection: all of {@code data}. */
    public static final DataFields ALL = new DataFields(List.of());

    private final List<String[]> paths;

    private DataFields(List<String[]> paths) {
        this.paths = paths;
    }

    /**
     * Reads the {@code fields} parameter: comma-separated paths, each at most {@link #MAX_PATH_CHARS} characters of
     * dot-separated non-empty keys without control characters, at most {@link #MAX_FIELDS} of them. Absent or empty
     * means {@link #ALL}.
     */
    public static DataFields parse(String raw) {
        if (raw == null || raw.isEmpty()) {
            return ALL;
        }
        Set<String> distinct = new LinkedHashSet<>(List.of(raw.split(",", -1)));
        if (distinct.size() > MAX_FIELDS) {
            throw new InvalidRequestException("fields names at most " + MAX_FIELDS + " paths");
        }
        List<String[]> paths = new ArrayList<>(distinct.size());
        for (String path : distinct) {
            paths.add(validPath(path));
        }
        return new DataFields(List.copyOf(paths));
    }

    private static String[] validPath(String path) {
        if (path.isEmpty()) {
            throw new InvalidRequestException("fields must be comma-separated paths such as power or meter.energy, "
                    + "without empty entries");
        }
        return keysOf("fields", path);
    }

    /**
     * Checks one path as named by the parameter {@code parameter} (same rules as a {@code fields} entry) and returns
     * it.
     */
    public static String requirePath(String parameter, String path) {
        if (path == null || path.isEmpty()) {
            throw new InvalidRequestException(parameter + " is required: a field of data such as power or meter.energy");
        }
        keysOf(parameter, path);
        return path;
    }

    private static String[] keysOf(String parameter, String path) {
        if (path.length() > MAX_PATH_CHARS) {
            throw new InvalidRequestException(parameter + ": a path is at most " + MAX_PATH_CHARS + " characters");
        }
        if (path.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidRequestException(parameter + ": paths hold no control characters");
        }
        String[] keys = path.split("\\.", -1);
        for (String key : keys) {
            if (key.isEmpty()) {
                throw new InvalidRequestException(parameter + ": '" + path + "' has an empty key; separate nested keys "
                        + "with single dots, as in meter.energy");
            }
        }
        return keys;
    }

    public boolean all() {
        return paths.isEmpty();
    }

    /** The selected part of {@code dataJson} (a JSON object, or null for none): an object, maybe empty. */
    public ObjectNode select(String dataJson) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        if (dataJson == null) {
            return out;
        }
        JsonNode data = StoredData.parse(dataJson);
        for (String[] keys : paths) {
            copy(data, out, keys);
        }
        return out;
    }

    /** Copies {@code data}'s value at {@code keys} into {@code out}, creating the objects on the way. */
    private static void copy(JsonNode data, ObjectNode out, String[] keys) {
        JsonNode from = data;
        for (String key : keys) {
            from = from.isObject() ? from.get(key) : null;
            if (from == null) {
                return;
            }
        }
        JsonNode source = data;
        ObjectNode target = out;
        for (int i = 0; i < keys.length - 1; i++) {
            source = source.get(keys[i]);
            JsonNode existing = target.get(keys[i]);
            if (existing == source) {
                return; // the whole object is already selected
            }
            target = existing instanceof ObjectNode created ? created : target.putObject(keys[i]);
        }
        target.set(keys[keys.length - 1], from);
    }
}
