package io.chargeline.http;

import io.chargeline.core.InvalidRequestException;
import io.chargeline.core.device.ChargerIds;
import io.chargeline.core.timing.TimeOrderedIds;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.Predicate;

/**
 * The {@code cursor} of one paged list: an opaque token the server issued, base64url of the list's name and the
 * last key of the page. A token that does not decode, names another list or carries a key that could not be one
 * of this list's is refused, so a guessed or edited cursor is a 400 rather than a page starting somewhere odd.
 */
final class ListCursor {
    static final ListCursor DEVICES = new ListCursor("devices", ChargerIds::isValid);
    static final ListCursor OPERATORS = new ListCursor("operators", ChargerIds::isValid);
    static final ListCursor CHARGERS = new ListCursor("chargers", ChargerIds::isValid);
    static final ListCursor COMMANDS = new ListCursor("commands", TimeOrderedIds::isWellFormed);
    static final ListCursor ARTIFACTS = new ListCursor("artifacts", TimeOrderedIds::isWellFormed);
    static final ListCursor JOBS = new ListCursor("jobs", TimeOrderedIds::isWellFormed);
    static final ListCursor EXECUTIONS = new ListCursor("executions", ChargerIds::isValid);
    static final ListCursor ALARMS = new ListCursor("alarms", TimeOrderedIds::isWellFormed);
    static final ListCursor ALARM_RULES = new ListCursor("alarm-rules", TimeOrderedIds::isWellFormed);
    static final ListCursor WEBHOOKS = new ListCursor("webhooks", TimeOrderedIds::isWellFormed);
    static final ListCursor DELIVERIES = new ListCursor("deliveries", TimeOrderedIds::isWellFormed);
    static final ListCursor AUDIT = new ListCursor("audit", TimeOrderedIds::isWellFormed);
    /** The newest-N lists (presence, dead letters) issue no cursor, so none is one this server issued. */
    static final ListCursor NOT_PAGED = new ListCursor("", key -> false);

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final String prefix;
    private final Predicate<String> validKey;

    private ListCursor(String list, Predicate<String> validKey) {
        this.prefix = list + ":";
        this.validKey = validKey;
    }

    /** The token for a page that ends at {@code lastKey}; null (the last page) stays null. */
    String encode(String lastKey) {
        return lastKey == null ? null : ENCODER.encodeToString((prefix + lastKey).getBytes(StandardCharsets.UTF_8));
    }

    /** The last key a token names; null for no token (the first page). */
    String decode(String token) {
        if (token == null) {
            return null;
        }
        String decoded = utf8(token);
        if (decoded == null || !decoded.startsWith(prefix) || !validKey.test(decoded.substring(prefix.length()))
                || !encode(decoded.substring(prefix.length())).equals(token)) {
            throw new InvalidRequestException("cursor is not one this server issued; pass back the nextCursor of "
                    + "the previous page, or leave it out for the first page");
        }
        return decoded.substring(prefix.length());
    }

    private static String utf8(String token) {
        try {
            byte[] bytes = Base64.getUrlDecoder().decode(token);
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (IllegalArgumentException | CharacterCodingException e) {
            return null;
        }
    }
}
