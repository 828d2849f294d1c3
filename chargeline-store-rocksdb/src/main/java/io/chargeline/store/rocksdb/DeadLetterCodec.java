package io.chargeline.store.rocksdb;

import io.chargeline.core.telemetry.DeadLetter;
import io.chargeline.core.telemetry.RejectReason;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Dead-letter rows: key {@code receivedAt, sequence} (oldest first); value the fields in order. */
final class DeadLetterCodec {
    private DeadLetterCodec() {}

    static byte[] key(DeadLetter letter, long sequence) {
        ByteBuffer buf = ByteBuffer.allocate(20);
        RecordCodec.putInstant(buf, letter.receivedAt());
        return buf.putLong(sequence).array();
    }

    static long sequence(byte[] key) {
        return ByteBuffer.wrap(key, 12, 8).getLong();
    }

    static byte[] encode(DeadLetter letter) {
        byte[] topic = bytes(letter.topic());
        byte[] client = bytes(letter.clientId());
        byte[] detail = bytes(letter.detail());
        byte[] reason = bytes(letter.reason().name());
        ByteBuffer buf = ByteBuffer.allocate(12 + 4 * 5 + topic.length + client.length + detail.length
                + reason.length + letter.payload().length);
        RecordCodec.putInstant(buf, letter.receivedAt());
        for (byte[] field : new byte[][] {topic, client, detail, reason}) {
            buf.putInt(field.length).put(field);
        }
        return buf.putInt(letter.payloadSize()).put(letter.payload()).array();
    }

    static DeadLetter decode(byte[] value) {
        ByteBuffer buf = ByteBuffer.wrap(value);
        var receivedAt = RecordCodec.getInstant(buf);
        String topic = string(buf);
        String client = string(buf);
        String detail = string(buf);
        RejectReason reason = RejectReason.valueOf(string(buf));
        int size = buf.getInt();
        byte[] payload = new byte[buf.remaining()];
        buf.get(payload);
        return new DeadLetter(receivedAt, topic, client, reason, detail, payload, size);
    }

    private static byte[] bytes(String s) {
        return s == null ? new byte[0] : s.getBytes(StandardCharsets.UTF_8);
    }

    private static String string(ByteBuffer buf) {
        byte[] b = new byte[buf.getInt()];
        buf.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
