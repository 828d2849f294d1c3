package io.chargeline.store.rocksdb;

import io.chargeline.core.StorageException;
import io.chargeline.core.alarm.Alarm;
import io.chargeline.core.alarm.AlarmState;
import io.chargeline.core.alarm.AlarmType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;

/** Binary form of an alarm: a version byte, then the fields; absent optional fields are one zero byte. */
final class AlarmCodec {
    private static final byte VERSION = 1;

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
        } catch (IOException e) {
            throw new IllegalStateException("in-memory write failed", e);
        }
        return bytes.toByteArray();
    }

    static Alarm decode(byte[] value) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value))) {
            if (in.readByte() != VERSION) {
                throw new IOException("unknown alarm encoding");
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
            return new Alarm(id, chargerId, type, state, raisedAt, deadline, clearedAt, acknowledgedAt, acknowledgedBy,
                    lastTelemetryAt, threshold);
        } catch (IOException | IllegalArgumentException e) {
            throw new StorageException("corrupt alarm record: " + e.getMessage(), e);
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
