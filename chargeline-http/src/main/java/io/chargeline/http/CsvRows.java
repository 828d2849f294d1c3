package io.chargeline.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.chargeline.core.InvalidRequestException;
import io.chargeline.core.telemetry.JsonTimestamps;
import io.chargeline.core.telemetry.StoredData;
import io.chargeline.core.telemetry.TelemetryRecord;
import java.io.IOException;
import java.io.Writer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Records as RFC 4180 CSV: {@code chargerId,timestamp,receivedAt}, then one column per field of {@code data},
 * nested objects flattened to dotted paths ({@code meter.energy}); an array is one column holding its JSON. A text
 * value that a spreadsheet would run as a formula (starting with {@code = + - @}, tab or CR) is prefixed with
 * {@code '}, as OWASP advises for CSV exports.
 */
final class CsvRows {
    private static final String FIXED = "chargerId,timestamp,receivedAt";

    private final Writer out;
    private final List<String> columns;
    private final Map<String, Integer> index = new HashMap<>();
    private final String[] row;

    CsvRows(Writer out, List<String> columns) {
        this.out = out;
        this.columns = columns;
        for (int i = 0; i < columns.size(); i++) {
            index.put(columns.get(i), i);
        }
        this.row = new String[columns.size()];
    }

    /** Adds the flattened field paths of {@code dataJson} to {@code columns}; a 400 beyond {@code max}. */
    static void collectColumns(String dataJson, Set<String> columns, int max) {
        if (dataJson == null) {
            return;
        }
        flatten(StoredData.parse(dataJson), "", (path, value) -> {
            if (columns.add(path) && columns.size() > max) {
                throw new InvalidRequestException("the range has more than " + max + " distinct data fields; "
                        + "export it as ndjson, or a shorter range");
            }
        });
    }

    void header() throws IOException {
        out.write(FIXED);
        for (String c : columns) {
            out.write(',');
            out.write(quoted(c));
        }
        out.write("\r\n");
    }

    /** One row; a field the header lacks (a record that arrived after the first pass) is left out. */
    void write(TelemetryRecord r) throws IOException {
        Arrays.fill(row, null);
        if (r.dataJson() != null) {
            flatten(StoredData.parse(r.dataJson()), "", (path, value) -> {
                Integer i = index.get(path);
                if (i != null) {
                    row[i] = cell(value);
                }
            });
        }
        out.write(quoted(r.chargerId()));
        out.write(',');
        out.write(JsonTimestamps.formatRecordTimestamp(r.timestamp()));
        out.write(',');
        out.write(r.receivedAt() == null ? "" : Json.time(r.receivedAt()));
        for (String cell : row) {
            out.write(',');
            if (cell != null) {
                out.write(cell);
            }
        }
        out.write("\r\n");
    }

    private interface Leaf {
        void accept(String path, JsonNode value);
    }

    private static void flatten(JsonNode node, String prefix, Leaf leaf) {
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            String path = prefix.isEmpty() ? f.getKey() : prefix + "." + f.getKey();
            if (f.getValue().isObject() && !f.getValue().isEmpty()) {
                flatten(f.getValue(), path, leaf);
            } else {
                leaf.accept(path, f.getValue());
            }
        }
    }

    private static String cell(JsonNode value) {
        if (value.isNull()) {
            return "";
        }
        if (value.isTextual()) {
            String text = value.textValue();
            if (!text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0) {
                text = "'" + text;
            }
            return quoted(text);
        }
        return value.isValueNode() ? value.asText() : quoted(value.toString());
    }

    private static String quoted(String text) {
        boolean plain = true;
        for (int i = 0; i < text.length() && plain; i++) {
            char c = text.charAt(i);
            plain = c != ',' && c != '"' && c != '\n' && c != '\r';
        }
        return plain ? text : '"' + text.replace("\"", "\"\"") + '"';
    }
}
