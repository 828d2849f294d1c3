package io.chargeline.store.rocksdb;

import io.chargeline.core.StorageException;
import io.chargeline.core.alarm.Alarm;
import io.chargeline.core.alarm.AlarmEvent;
import io.chargeline.core.alarm.AlarmFeed;
import io.chargeline.core.alarm.AlarmRule;
import io.chargeline.core.alarm.AlarmState;
import io.chargeline.core.alarm.AlarmType;
import io.chargeline.core.alarm.ClearReason;
import io.chargeline.core.webhook.WebhookEventType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

/**
 * Binary forms of alarms, alarm rules, alarm events and operators' alarm feeds: a version byte, then the fields; absent optional fields are one
 * zero byte. Version 2 added the rule id and detail of THRESHOLD alarms, version 3 the clear reason; older
 * records still decode (without a clear reason).
 */
final class AlarmCodec {
    private static final byte VERSION = 3;
    private static final byte RULE_VERSION = 1;
    private static final byte EVENT_VERSION = 1;
    private static final byte FEED_VERSION = 1;

    private AlarmCodec() {}

    static byte[] encode(Alarm a) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeUTF(a.id());
            out.writeUTF(a.chargerId());
            out.writeUTF(a.type().name());
            out.writeUTF(a.state().name());
            writeInstant(out, a.raisedAt());
            writeInstant(out, a.deadline());
            writeInstant(out, a.clearedAt());
            writeInstant(out, a.acknowledgedAt());
            writeString(out, a.acknowledgedBy());
            writeInstant(out, a.lastTelemetryAt());
            out.writeBoolean(a.threshold() != null);
            if (a.threshold() != null) {
                out.writeLong(a.threshold().toMillis());
            }
            writeString(out, a.ruleId());
            writeString(out, a.detail());
            writeString(out, a.clearReason() == null ? null : a.clearReason().name());
        } catch (IOException e) {
            throw new IllegalStateException("in-memory write failed", e);
        }
        return bytes.toByteArray();
    }

    static Alarm decode(byte[] value) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value))) {
            byte version = in.readByte();
            if (version < 1 || version > VERSION) {
                throw new IOException("unknown alarm encoding " + version);
            }
            String id = in.readUTF();
            String chargerId = in.readUTF();
            AlarmType type = AlarmType.valueOf(in.readUTF());
            AlarmState state = AlarmState.valueOf(in.readUTF());
            Instant raisedAt = readInstant(in);
            Instant deadline = readInstant(in);
            Instant clearedAt = readInstant(in);
            Instant acknowledgedAt = readInstant(in);
            String acknowledgedBy = readString(in);
            Instant lastTelemetryAt = readInstant(in);
            Duration threshold = in.readBoolean() ? Duration.ofMillis(in.readLong()) : null;
            String ruleId = version >= 2 ? readString(in) : null;
            String detail = version >= 2 ? readString(in) : null;
            String clearReason = version >= 3 ? readString(in) : null;
            return new Alarm(id, chargerId, type, state, raisedAt, deadline, clearedAt, acknowledgedAt, acknowledgedBy,
                    lastTelemetryAt, threshold, ruleId, detail, clearReason == null ? null : ClearReason.valueOf(clearReason));
        } catch (IOException | IllegalArgumentException e) {
            throw new StorageException("corrupt alarm record: " + e.getMessage(), e);
        }
    }

    static byte[] encode(AlarmRule r) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(96);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(RULE_VERSION);
            out.writeUTF(r.id());
            out.writeUTF(r.field());
            out.writeUTF(r.op().name());
            out.writeDouble(r.value());
            out.writeLong(r.forDuration().toMillis());
            writeInstant(out, r.createdAt());
        } catch (IOException e) {
            throw new IllegalStateException("in-memory write failed", e);
        }
        return bytes.toByteArray();
    }

    static AlarmRule decodeRule(byte[] value) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value))) {
            if (in.readByte() != RULE_VERSION) {
                throw new IOException("unknown rule encoding");
            }
            return new AlarmRule(in.readUTF(), in.readUTF(), AlarmRule.Op.valueOf(in.readUTF()), in.readDouble(),
                    Duration.ofMillis(in.readLong()), readInstant(in));
        } catch (IOException | IllegalArgumentException e) {
            throw new StorageException("corrupt alarm rule: " + e.getMessage(), e);
        }
    }

    /** An event: its own version byte, id, type, time, then the alarm as it was then. */
    static byte[] encode(AlarmEvent e) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(160);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(EVENT_VERSION);
            out.writeUTF(e.id());
            out.writeUTF(e.type().name());
            writeInstant(out, e.at());
            byte[] alarm = encode(e.alarm());
            out.writeInt(alarm.length);
            out.write(alarm);
        } catch (IOException x) {
            throw new IllegalStateException("in-memory write failed", x);
        }
        return bytes.toByteArray();
    }

    static AlarmEvent decodeEvent(byte[] value) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value))) {
            if (in.readByte() != EVENT_VERSION) {
                throw new IOException("unknown alarm event encoding");
            }
            String id = in.readUTF();
            WebhookEventType type = WebhookEventType.valueOf(in.readUTF());
            Instant at = readInstant(in);
            byte[] alarm = new byte[in.readInt()];
            in.readFully(alarm);
            return new AlarmEvent(id, type, at, decode(alarm));
        } catch (IOException | IllegalArgumentException e) {
            throw new StorageException("corrupt alarm event: " + e.getMessage(), e);
        }
    }

    static byte[] encode(AlarmFeed f) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(96);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FEED_VERSION);
            out.writeUTF(f.clientId());
            out.writeInt(f.filters().size());
            for (String filter : f.filters()) {
                out.writeUTF(filter);
            }
            out.writeLong(f.expiry().toMillis());
            writeString(out, f.ackedEventId());
            writeInstant(out, f.awaySince());
        } catch (IOException e) {
            throw new IllegalStateException("in-memory write failed", e);
        }
        return bytes.toByteArray();
    }

    static AlarmFeed decodeFeed(byte[] value) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value))) {
            if (in.readByte() != FEED_VERSION) {
                throw new IOException("unknown alarm feed encoding");
            }
            String clientId = in.readUTF();
            int count = in.readInt();
            Set<String> filters = new HashSet<>();
            for (int i = 0; i < count; i++) {
                filters.add(in.readUTF());
            }
            return new AlarmFeed(clientId, filters, Duration.ofMillis(in.readLong()), readString(in), readInstant(in));
        } catch (IOException | IllegalArgumentException e) {
            throw new StorageException("corrupt alarm feed: " + e.getMessage(), e);
        }
    }

    private static void writeInstant(DataOutputStream out, Instant at) throws IOException {
        out.writeBoolean(at != null);
        if (at != null) {
            out.writeLong(at.getEpochSecond());
            out.writeInt(at.getNano());
        }
    }

    private static Instant readInstant(DataInputStream in) throws IOException {
        return in.readBoolean() ? Instant.ofEpochSecond(in.readLong(), in.readInt()) : null;
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            out.writeUTF(s);
        }
    }

    private static String readString(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }
}
