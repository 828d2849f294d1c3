package io.chargeline.store.rocksdb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chargeline.core.StorageException;
import io.chargeline.core.command.Command;
import io.chargeline.core.command.CommandStatus;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A command row: a version byte, then JSON (payload and result kept as the exact JSON text they were). */
final class CommandCodec {
    private static final byte VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    private CommandCodec() {}

    static byte[] encode(Command c) {
        ObjectNode row = JSON.createObjectNode()
                .put("name", c.name())
                .put("payload", c.payloadJson())
                .put("status", c.status().name())
                .put("issuedAt", c.issuedAt().toString())
                .put("expiresAt", c.expiresAt().toString())
                .put("result", c.resultJson());
        ArrayNode transitions = row.putArray("transitions");
        for (Command.Transition t : c.transitions()) {
            transitions.addArray().add(t.status().name()).add(t.at().toString());
        }
        byte[] json = row.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] out = new byte[json.length + 1];
        out[0] = VERSION;
        System.arraycopy(json, 0, out, 1, json.length);
        return out;
    }

    static Command decode(String id, String chargerId, byte[] value) {
        if (value.length == 0 || value[0] != VERSION) {
            throw new StorageException("unknown command row version " + (value.length == 0 ? "(empty)" : value[0]), null);
        }
        try {
            JsonNode row = JSON.readTree(value, 1, value.length - 1);
            List<Command.Transition> transitions = new ArrayList<>();
            for (JsonNode t : row.get("transitions")) {
                transitions.add(new Command.Transition(CommandStatus.valueOf(t.get(0).asText()), Instant.parse(t.get(1).asText())));
            }
            JsonNode result = row.get("result");
            return new Command(id, chargerId, row.get("name").asText(), row.get("payload").asText(),
                    CommandStatus.valueOf(row.get("status").asText()), Instant.parse(row.get("issuedAt").asText()),
                    Instant.parse(row.get("expiresAt").asText()), result == null || result.isNull() ? null : result.asText(),
                    transitions);
        } catch (IOException | RuntimeException e) {
            throw new StorageException("command " + id + " of " + chargerId + " cannot be read: " + e.getMessage(), e);
        }
    }
}
