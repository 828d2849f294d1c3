package io.chargeline.gateway.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;

/**
 * MQTT packets built byte by byte from the OASIS specs (3.1.1 and 5.0), and a reader of what the server answers.
 * Nothing here comes from the codec under test, so the bytes are an independent reading of the specs.
 */
final class RawMqtt {
    // packet types (MQTT 5 2.1.2)
    static final int CONNECT = 1;
    static final int CONNACK = 2;
    static final int PUBLISH = 3;
    static final int PUBACK = 4;
    static final int PUBREC = 5;
    static final int PUBREL = 6;
    static final int PUBCOMP = 7;
    static final int SUBSCRIBE = 8;
    static final int SUBACK = 9;
    static final int UNSUBACK = 11;
    static final int PINGREQ = 12;
    static final int PINGRESP = 13;
    static final int DISCONNECT = 14;
    static final int AUTH = 15;

    // properties (MQTT 5 2.2.2.2)
    static final int PAYLOAD_FORMAT_INDICATOR = 0x01;
    static final int MESSAGE_EXPIRY_INTERVAL = 0x02;
    static final int CONTENT_TYPE = 0x03;
    static final int SESSION_EXPIRY_INTERVAL = 0x11;
    static final int AUTHENTICATION_METHOD = 0x15;
    static final int REASON_STRING = 0x1F;
    static final int RECEIVE_MAXIMUM = 0x21;
    static final int TOPIC_ALIAS_MAXIMUM = 0x22;
    static final int TOPIC_ALIAS = 0x23;
    static final int USER_PROPERTY = 0x26;
    static final int MAXIMUM_PACKET_SIZE = 0x27;

    private RawMqtt() {}

    /** The protocol name and level a CONNECT carries (MQTT 3.1 used "MQIsdp"). */
    enum Version {
        V3_1("MQIsdp", 3), V3_1_1("MQTT", 4), V5("MQTT", 5);

        final String protocolName;
        final int level;

        Version(String protocolName, int level) {
            this.protocolName = protocolName;
            this.level = level;
        }

        boolean mqtt5() {
            return this == V5;
        }
    }

    // ---- encoding

    /** A whole packet: the first byte (type and flags), the Remaining Length, then the parts. */
    static byte[] packet(int firstByte, byte[]... parts) {
        byte[] body = concat(parts);
        return concat(new byte[] {(byte) firstByte}, varInt(body.length), body);
    }

    /** Variable Byte Integer (MQTT 5 1.5.5, MQTT 3.1.1 2.2.3). */
    static byte[] varInt(int value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4);
        do {
            int digit = value % 128;
            value /= 128;
            out.write(value > 0 ? digit | 0x80 : digit);
        } while (value > 0);
        return out.toByteArray();
    }

    static byte[] u16(int value) {
        return new byte[] {(byte) (value >> 8), (byte) value};
    }

    static byte[] u32(long value) {
        return new byte[] {(byte) (value >> 24), (byte) (value >> 16), (byte) (value >> 8), (byte) value};
    }

    /** A UTF-8 Encoded String: two length bytes, then the bytes as given (which may be ill-formed on purpose). */
    static byte[] string(byte[] raw) {
        return concat(u16(raw.length), raw);
    }

    static byte[] string(String s) {
        return string(s.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** MQTT 5 properties, written in the order added. */
    static final class Props {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        Props u8(int id, int value) {
            bytes.write(id);
            bytes.write(value);
            return this;
        }

        Props u16(int id, int value) {
            bytes.write(id);
            bytes.writeBytes(RawMqtt.u16(value));
            return this;
        }

        Props u32(int id, long value) {
            bytes.write(id);
            bytes.writeBytes(RawMqtt.u32(value));
            return this;
        }

        Props string(int id, String value) {
            bytes.write(id);
            bytes.writeBytes(RawMqtt.string(value));
            return this;
        }

        Props pair(int id, String name, String value) {
            bytes.write(id);
            bytes.writeBytes(RawMqtt.string(name));
            bytes.writeBytes(RawMqtt.string(value));
            return this;
        }

        /** Property Length, then the properties. */
        byte[] encoded() {
            byte[] b = bytes.toByteArray();
            return concat(varInt(b.length), b);
        }
    }

    static Props props() {
        return new Props();
    }

    static final int CLEAN_START = 0x02;

    /** CONNECT with the given connect flags (3.1.2.3); {@code props} only for MQTT 5 (null writes none at all). */
    static byte[] connect(String protocolName, int level, int flags, int keepAlive, Props props, byte[]... payload) {
        return packet(0x10, string(protocolName), new byte[] {(byte) level, (byte) flags}, u16(keepAlive),
                props == null ? new byte[0] : props.encoded(), concat(payload));
    }

    /** A clean-session CONNECT of {@code version} for {@code clientId}, no will, no user name. */
    static byte[] connect(Version version, String clientId, int keepAlive, Props props) {
        return connect(version.protocolName, version.level, CLEAN_START, keepAlive,
                version.mqtt5() ? (props == null ? props() : props) : null, string(clientId));
    }

    static byte[] connect(Version version, String clientId) {
        return connect(version, clientId, 60, null);
    }

    /** PUBLISH (3.3); the packet id is written only for QoS above 0, properties only for MQTT 5. */
    static byte[] publish(Version version, int qos, boolean dup, byte[] topic, int packetId, Props props,
            byte[] payload) {
        int first = 0x30 | (dup ? 0x08 : 0) | (qos << 1);
        return packet(first, string(topic), qos > 0 ? u16(packetId) : new byte[0],
                version.mqtt5() ? (props == null ? props() : props).encoded() : new byte[0], payload);
    }

    static byte[] publish(Version version, int qos, String topic, int packetId, byte[] payload) {
        return publish(version, qos, false, topic.getBytes(StandardCharsets.UTF_8), packetId, null, payload);
    }

    /** PUBREL (3.6): flags 0010; MQTT 5 may leave out the reason code 0 and the properties. */
    static byte[] pubrel(int packetId) {
        return packet(0x62, u16(packetId));
    }

    /** SUBSCRIBE (3.8) of one filter: flags 0010, subscription options {@code options} (the QoS in 3.1.1). */
    static byte[] subscribe(Version version, int packetId, String filter, int options) {
        return packet(0x82, u16(packetId), version.mqtt5() ? props().encoded() : new byte[0], string(filter),
                new byte[] {(byte) options});
    }

    /** UNSUBSCRIBE (3.10) of one filter: flags 0010. */
    static byte[] unsubscribe(Version version, int packetId, String filter) {
        return packet(0xA2, u16(packetId), version.mqtt5() ? props().encoded() : new byte[0], string(filter));
    }

    static byte[] pingreq() {
        return new byte[] {(byte) 0xC0, 0};
    }

    static byte[] disconnect() {
        return new byte[] {(byte) 0xE0, 0};
    }

    // ---- decoding

    /** One packet the server sent: its type, the flags of the first byte, and what follows the Remaining Length. */
    record Packet(int type, int flags, byte[] body) {
        int packetId() {
            return (body[0] & 0xFF) << 8 | body[1] & 0xFF;
        }

        /** CONNACK: the return code (3.1.1) or reason code (5). */
        int connectCode() {
            assertThat(type).as("packet type").isEqualTo(CONNACK);
            return body[1] & 0xFF;
        }

        /** DISCONNECT (5): the reason code, 0 when left out. */
        int disconnectCode() {
            assertThat(type).as("packet type").isEqualTo(DISCONNECT);
            return body.length == 0 ? 0 : body[0] & 0xFF;
        }

        /** PUBACK, PUBREC, PUBREL, PUBCOMP: the reason code, 0 when left out (always in 3.1.1). */
        int replyCode() {
            return body.length <= 2 ? 0 : body[2] & 0xFF;
        }

        /** The MQTT 5 properties of a CONNACK, by id (integers as Long, strings as String). */
        Map<Integer, Object> connackProperties() {
            assertThat(type).as("packet type").isEqualTo(CONNACK);
            return properties(2);
        }

        /** The MQTT 5 properties of a DISCONNECT, by id. */
        Map<Integer, Object> disconnectProperties() {
            return body.length < 2 ? Map.of() : properties(1);
        }

        private Map<Integer, Object> properties(int at) {
            int[] pos = {at};
            int length = readVarInt(body, pos);
            int end = pos[0] + length;
            Map<Integer, Object> out = new LinkedHashMap<>();
            while (pos[0] < end) {
                int id = body[pos[0]++] & 0xFF;
                switch (id) {
                    case 0x01, 0x17, 0x19, 0x24, 0x25, 0x28, 0x29, 0x2A -> out.put(id, (long) (body[pos[0]++] & 0xFF));
                    case 0x13, 0x21, 0x22, 0x23 -> {
                        out.put(id, (long) ((body[pos[0]] & 0xFF) << 8 | body[pos[0] + 1] & 0xFF));
                        pos[0] += 2;
                    }
                    case 0x02, 0x11, 0x18, 0x27 -> {
                        long v = 0;
                        for (int i = 0; i < 4; i++) {
                            v = v << 8 | body[pos[0]++] & 0xFF;
                        }
                        out.put(id, v);
                    }
                    case 0x0B -> out.put(id, (long) readVarInt(body, pos));
                    case 0x26 -> {
                        readString(body, pos);
                        readString(body, pos); // user properties: not needed here
                    }
                    default -> out.put(id, readString(body, pos)); // strings and binary data
                }
            }
            return out;
        }

        @Override
        public String toString() {
            return "Packet[type " + type + ", flags " + flags + ", body " + HexFormat.ofDelimiter(" ").formatHex(body)
                    + "]";
        }
    }

    private static int readVarInt(byte[] b, int[] pos) {
        int value = 0;
        for (int shift = 0; shift < 28; shift += 7) {
            int digit = b[pos[0]++] & 0xFF;
            value |= (digit & 0x7F) << shift;
            if ((digit & 0x80) == 0) {
                return value;
            }
        }
        throw new AssertionError("the server sent a Variable Byte Integer of more than 4 bytes");
    }

    private static String readString(byte[] b, int[] pos) {
        int length = (b[pos[0]] & 0xFF) << 8 | b[pos[0] + 1] & 0xFF;
        String s = new String(b, pos[0] + 2, length, StandardCharsets.UTF_8);
        pos[0] += 2 + length;
        return s;
    }

    /** The server closed the connection (end of stream, a reset, or TLS torn down). */
    static final class Closed extends IOException {
        Closed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** A raw MQTT connection over TLS. */
    static final class Client implements AutoCloseable {
        final SSLSocket socket;
        final Version version;
        final String clientId;
        /** The CONNACK, once connected. */
        Packet connack;
        private final InputStream in;
        private final OutputStream out;

        Client(SSLSocket socket, Version version, String clientId) throws IOException {
            this.socket = socket;
            this.version = version;
            this.clientId = clientId;
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
        }

        Client send(byte[]... packets) throws IOException {
            for (byte[] p : packets) {
                out.write(p);
            }
            out.flush();
            return this;
        }

        /** The next packet; fails when nothing arrives within the socket timeout, throws {@link Closed} at the end. */
        Packet read() throws IOException {
            int first = readByte();
            int length = 0;
            for (int shift = 0; ; shift += 7) {
                if (shift > 21) {
                    throw new AssertionError("the server sent a Remaining Length of more than 4 bytes");
                }
                int digit = readByte();
                length |= (digit & 0x7F) << shift;
                if ((digit & 0x80) == 0) {
                    break;
                }
            }
            byte[] body = new byte[length];
            int at = 0;
            while (at < length) {
                int n = readSome(body, at, length - at);
                at += n;
            }
            return new Packet(first >> 4, first & 0x0F, body);
        }

        /** The next packet, which must be of {@code type}. */
        Packet read(int type) throws IOException {
            Packet p = read();
            assertThat(p.type()).as("type of %s", p).isEqualTo(type);
            return p;
        }

        /** Whatever the server still sends until it closes the connection; fails if it stays open past the timeout. */
        List<Packet> readUntilClosed() throws IOException {
            List<Packet> packets = new ArrayList<>();
            while (true) {
                try {
                    packets.add(read());
                } catch (Closed | EOFException e) {
                    return packets;
                } catch (SocketTimeoutException e) {
                    throw new AssertionError("the server kept the connection open; it sent " + packets, e);
                }
            }
        }

        /** True when nothing arrives for {@code quiet} and the connection stays open meanwhile. */
        boolean silentFor(Duration quiet) throws IOException {
            int timeout = socket.getSoTimeout();
            socket.setSoTimeout((int) quiet.toMillis());
            try {
                Packet p = read();
                throw new AssertionError("expected silence, the server sent " + p);
            } catch (SocketTimeoutException e) {
                return true;
            } catch (Closed e) {
                return false;
            } finally {
                socket.setSoTimeout(timeout);
            }
        }

        private int readByte() throws IOException {
            byte[] one = new byte[1];
            readSome(one, 0, 1);
            return one[0] & 0xFF;
        }

        private int readSome(byte[] into, int offset, int length) throws IOException {
            int n;
            try {
                n = in.read(into, offset, length);
            } catch (SocketTimeoutException e) {
                throw e;
            } catch (SSLException | SocketException e) {
                throw new Closed("connection closed: " + e, e);
            }
            if (n < 0) {
                throw new Closed("end of stream", null);
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
