package io.chargeline.gateway.mqtt;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientConfig;
import com.hivemq.client.mqtt.mqtt5.advanced.interceptor.qos1.Mqtt5OutgoingQos1Interceptor;
import com.hivemq.client.mqtt.mqtt5.advanced.interceptor.qos2.Mqtt5OutgoingQos2Interceptor;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.message.Mqtt5ReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.connect.Mqtt5ConnectBuilder;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.pubcomp.Mqtt5PubComp;
import com.hivemq.client.mqtt.mqtt5.message.publish.pubrec.Mqtt5PubRec;
import com.hivemq.client.mqtt.mqtt5.message.publish.pubrel.Mqtt5PubRel;
import com.hivemq.client.mqtt.mqtt5.message.publish.pubrel.Mqtt5PubRelBuilder;
import io.chargeline.core.device.IssuedCertificate;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * The three MQTT client libraries the protocol tests drive, none of them written here (HiveMQ's MQTT 5 client,
 * Paho for MQTT 3.1.1 and Paho for MQTT 5), each behind the little the tests need: connect with a session and a
 * will, publish and learn when the flow is complete, subscribe and receive, be dropped, or have the socket killed.
 */
final class RealMqttClients {
    static final long WAIT_MS = 10_000;
    /** A persistent session's expiry (MQTT 5); MQTT 3.1.1 keeps it for the gateway's maximum. */
    static final long SESSION_EXPIRY_SECONDS = 300;

    private RealMqttClients() {}

    /** A client library; {@link #mqtt5} says which protocol it speaks. */
    enum Library {
        HIVEMQ_MQTT5(true),
        PAHO_MQTT311(false),
        PAHO_MQTT5(true);

        final boolean mqtt5;

        Library(boolean mqtt5) {
            this.mqtt5 = mqtt5;
        }

        Connection connect(GatewayFixture fixture, String clientId, IssuedCertificate cert, Options options)
                throws Exception {
            return switch (this) {
                case HIVEMQ_MQTT5 -> HiveMq.connect(fixture, clientId, cert, options);
                case PAHO_MQTT311 -> Paho3.connect(fixture, clientId, cert, options);
                case PAHO_MQTT5 -> Paho5.connect(fixture, clientId, cert, options);
            };
        }

        Connection connect(GatewayFixture fixture, String clientId, IssuedCertificate cert) throws Exception {
            return connect(fixture, clientId, cert, Options.CLEAN);
        }

        /** The CONNACK code for "not authorized" in this library's protocol. */
        int notAuthorized() {
            return mqtt5 ? 0x87 : 5;
        }
    }

    /**
     * How to connect: clean or persistent session (MQTT 3.1.1 clean session off, MQTT 5 clean start off and
     * {@link #SESSION_EXPIRY_SECONDS}), and an optional will (QoS 1).
     */
    record Options(boolean persistent, String willTopic, byte[] willPayload) {
        static final Options CLEAN = new Options(false, null, null);
        static final Options PERSISTENT = new Options(true, null, null);

        static Options withWill(String topic, byte[] payload) {
            return new Options(false, topic, payload);
        }
    }

    /** The gateway refused the CONNECT with {@code code} (the CONNACK return or reason code). */
    static final class ConnectRefused extends Exception {
        final int code;

        ConnectRefused(int code, Throwable cause) {
            super("CONNECT refused with code 0x" + Integer.toHexString(code), cause);
            this.code = code;
        }
    }

    /** A message the gateway sent to the client. */
    record Received(String topic, byte[] payload) {}

    /**
     * A publish under way. {@code done} completes when its flow is complete: once written for QoS 0, on PUBACK for 1,
     * on PUBCOMP for 2, and fails on a refusal. {@code acknowledged} tells whether the client's protocol layer has that
     * acknowledgement already: the libraries tell their listeners on other threads, a moment later, so a test that
     * proves something was not acknowledged asks this after a round trip.
     */
    record Publish(CompletableFuture<Void> done, BooleanSupplier acknowledged) {
        void await() throws Exception {
            done.get(WAIT_MS, TimeUnit.MILLISECONDS);
        }

        boolean isAcknowledged() {
            return acknowledged.getAsBoolean();
        }
    }

    /** One connected client. */
    interface Connection extends AutoCloseable {
        boolean sessionPresent();

        Publish publish(String topic, byte[] payload, int qos);

        /** Subscribes at QoS 1 and returns once the SUBACK granted it. */
        void subscribe(String filter) throws Exception;

        /** What the gateway sent, in arrival order, subscribed to in this connection or not. */
        BlockingQueue<Received> received();

        /**
         * Completes when the server ended the connection: with the MQTT 5 DISCONNECT reason code, or -1 when there
         * was none (MQTT 3.1.1, or the socket closed).
         */
        CompletableFuture<Integer> lost();

        boolean connected();

        /** Closes the TCP connection under the client, without DISCONNECT: an abnormal end for the server. */
        void killSocket() throws IOException;

        /** A normal DISCONNECT (reason 0x00), then the client's resources go. */
        @Override
        void close();
    }

    // ---- HiveMQ MQTT client, MQTT 5

    private static final class HiveMq implements Connection {
        private final Mqtt5AsyncClient client;
        private final Mqtt5ConnAck connAck;
        private final BlockingQueue<Received> received;
        private final CompletableFuture<Integer> lost;
        private final Acks acks;

        private HiveMq(Mqtt5AsyncClient client, Mqtt5ConnAck connAck, BlockingQueue<Received> received,
                CompletableFuture<Integer> lost, Acks acks) {
            this.client = client;
            this.connAck = connAck;
            this.received = received;
            this.lost = lost;
            this.acks = acks;
        }

        /**
         * QoS 1 and QoS 2 publishes waiting for their PUBACK or PUBCOMP, each in order (the gateway answers in order).
         * The client's interceptors see these on its event loop, in the order packets arrive; its publish future
         * completes later on another thread, and for QoS 2 already on PUBREC.
         */
        private record Acks(Queue<CompletableFuture<Void>> pubAck, Queue<CompletableFuture<Void>> pubComp) {
            Acks() {
                this(new ConcurrentLinkedQueue<>(), new ConcurrentLinkedQueue<>());
            }

            static void settle(CompletableFuture<Void> ack, String packet, Mqtt5ReasonCode code) {
                if (ack != null && code.isError()) {
                    ack.completeExceptionally(new IllegalStateException(packet + " " + code));
                } else if (ack != null) {
                    ack.complete(null);
                }
            }
        }

        private static Mqtt5OutgoingQos1Interceptor pubAcksTo(Acks acks) {
            return (config, publish, pubAck) -> Acks.settle(acks.pubAck().poll(), "PUBACK", pubAck.getReasonCode());
        }

        private static Mqtt5OutgoingQos2Interceptor pubCompsTo(Acks acks) {
            return new Mqtt5OutgoingQos2Interceptor() {
                @Override
                public void onPubRec(Mqtt5ClientConfig config, Mqtt5Publish publish, Mqtt5PubRec pubRec,
                        Mqtt5PubRelBuilder pubRel) {}

                @Override
                public void onPubRecError(Mqtt5ClientConfig config, Mqtt5Publish publish, Mqtt5PubRec pubRec) {}

                @Override
                public void onPubComp(Mqtt5ClientConfig config, Mqtt5PubRel pubRel, Mqtt5PubComp pubComp) {
                    Acks.settle(acks.pubComp().poll(), "PUBCOMP", pubComp.getReasonCode());
                }
            };
        }

        static Connection connect(GatewayFixture fixture, String clientId, IssuedCertificate cert, Options options)
                throws Exception {
            CompletableFuture<Integer> lost = new CompletableFuture<>();
            Acks acks = new Acks();
            Mqtt5AsyncClient client = Mqtt5Client.builder().identifier(clientId).serverHost("127.0.0.1")
                    .serverPort(fixture.port()).sslConfig(fixture.hivemqTls(cert))
                    .advancedConfig().interceptors()
                    .outgoingQos1Interceptor(pubAcksTo(acks)).outgoingQos2Interceptor(pubCompsTo(acks))
                    .applyInterceptors().applyAdvancedConfig()
                    .addDisconnectedListener(context -> {
                        if (context.getSource() == MqttDisconnectSource.SERVER) {
                            lost.complete(context.getCause() instanceof Mqtt5DisconnectException d
                                    ? d.getMqttMessage().getReasonCode().getCode() : -1);
                        }
                    })
                    .buildAsync();
            BlockingQueue<Received> received = new LinkedBlockingQueue<>();
            client.publishes(MqttGlobalPublishFilter.ALL,
                    p -> received.add(new Received(p.getTopic().toString(), p.getPayloadAsBytes())));
            Mqtt5ConnectBuilder.Send<CompletableFuture<Mqtt5ConnAck>> connect = client.connectWith()
                    .cleanStart(!options.persistent())
                    .sessionExpiryInterval(options.persistent() ? SESSION_EXPIRY_SECONDS : 0);
            if (options.willTopic() != null) {
                connect = connect.willPublish().topic(options.willTopic()).qos(MqttQos.AT_LEAST_ONCE)
                        .payload(options.willPayload()).applyWillPublish();
            }
            try {
                Mqtt5ConnAck connAck = connect.send().get(WAIT_MS, TimeUnit.MILLISECONDS);
                return new HiveMq(client, connAck, received, lost, acks);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof Mqtt5ConnAckException refused) {
                    throw new ConnectRefused(refused.getMqttMessage().getReasonCode().getCode(), refused);
                }
                throw e;
            }
        }

        @Override
        public boolean sessionPresent() {
            return connAck.isSessionPresent();
        }

        @Override
        public Publish publish(String topic, byte[] payload, int qos) {
            CompletableFuture<Void> ack = new CompletableFuture<>();
            if (qos == 1) {
                acks.pubAck().add(ack);
            } else if (qos == 2) {
                acks.pubComp().add(ack);
            }
            CompletableFuture<Mqtt5PublishResult> sent =
                    client.publishWith().topic(topic).qos(MqttQos.fromCode(qos)).payload(payload).send();
            return qos == 0
                    ? new Publish(sent.thenAccept(result -> {}), sent::isDone)
                    : new Publish(sent.thenCompose(result -> ack), ack::isDone);
        }

        @Override
        public void subscribe(String filter) throws Exception {
            client.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).send()
                    .get(WAIT_MS, TimeUnit.MILLISECONDS);
        }

        @Override
        public BlockingQueue<Received> received() {
            return received;
        }

        @Override
        public CompletableFuture<Integer> lost() {
            return lost;
        }

        @Override
        public boolean connected() {
            return client.getState().isConnected();
        }

        @Override
        public void killSocket() {
            throw new UnsupportedOperationException("the HiveMQ client gives no access to its socket");
        }

        @Override
        public void close() {
            if (client.getState().isConnected()) {
                client.disconnect().orTimeout(WAIT_MS, TimeUnit.MILLISECONDS).exceptionally(e -> null).join();
            }
        }
    }

    // ---- Paho, MQTT 3.1.1

    /** What both Paho adapters keep: the CONNACK's session flag, the sockets they can kill, what arrived. */
    private abstract static class PahoConnection implements Connection {
        private final boolean sessionPresent;
        private final KillableSockets sockets;
        private final BlockingQueue<Received> received;
        private final CompletableFuture<Integer> lost;

        PahoConnection(boolean sessionPresent, KillableSockets sockets, BlockingQueue<Received> received,
                CompletableFuture<Integer> lost) {
            this.sessionPresent = sessionPresent;
            this.sockets = sockets;
            this.received = received;
            this.lost = lost;
        }

        @Override
        public boolean sessionPresent() {
            return sessionPresent;
        }

        @Override
        public BlockingQueue<Received> received() {
            return received;
        }

        @Override
        public CompletableFuture<Integer> lost() {
            return lost;
        }

        @Override
        public void killSocket() throws IOException {
            sockets.kill();
        }
    }

    private static final class Paho3 extends PahoConnection {
        private final MqttAsyncClient client;

        private Paho3(MqttAsyncClient client, boolean sessionPresent, KillableSockets sockets,
                BlockingQueue<Received> received, CompletableFuture<Integer> lost) {
            super(sessionPresent, sockets, received, lost);
            this.client = client;
        }

        static Connection connect(GatewayFixture fixture, String clientId, IssuedCertificate cert, Options options)
                throws Exception {
            KillableSockets sockets = new KillableSockets(fixture.clientTls(cert).getSocketFactory());
            MqttConnectOptions connect = fixture.pahoOptions(cert);
            connect.setSocketFactory(sockets);
            connect.setCleanSession(!options.persistent());
            if (options.willTopic() != null) {
                connect.setWill(options.willTopic(), options.willPayload(), 1, false);
            }
            MqttAsyncClient client = new MqttAsyncClient("ssl://127.0.0.1:" + fixture.port(), clientId,
                    new MemoryPersistence());
            BlockingQueue<Received> received = new LinkedBlockingQueue<>();
            CompletableFuture<Integer> lost = new CompletableFuture<>();
            client.setCallback(new MqttCallback() {
                @Override
                public void connectionLost(Throwable cause) {
                    lost.complete(-1);
                }

                @Override
                public void messageArrived(String topic, MqttMessage message) {
                    received.add(new Received(topic, message.getPayload()));
                }

                @Override
                public void deliveryComplete(IMqttDeliveryToken token) {}
            });
            try {
                IMqttToken token = client.connect(connect);
                token.waitForCompletion(WAIT_MS);
                return new Paho3(client, token.getSessionPresent(), sockets, received, lost);
            } catch (MqttException e) {
                client.close(true);
                if (e.getReasonCode() > 0 && e.getReasonCode() <= 5) { // a CONNACK return code
                    throw new ConnectRefused(e.getReasonCode(), e);
                }
                throw e;
            }
        }

        @Override
        public Publish publish(String topic, byte[] payload, int qos) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            try {
                IMqttDeliveryToken token = client.publish(topic, payload, qos, false, null, new IMqttActionListener() {
                    @Override
                    public void onSuccess(IMqttToken token) {
                        done.complete(null);
                    }

                    @Override
                    public void onFailure(IMqttToken token, Throwable e) {
                        done.completeExceptionally(e);
                    }
                });
                return new Publish(done, token::isComplete); // the receiving thread completes the token
            } catch (MqttException e) {
                done.completeExceptionally(e);
                return new Publish(done, () -> false);
            }
        }

        @Override
        public void subscribe(String filter) throws Exception {
            IMqttToken token = client.subscribe(filter, 1);
            token.waitForCompletion(WAIT_MS);
            if (token.getGrantedQos()[0] != 1) {
                throw new IllegalStateException(filter + " not granted: " + token.getGrantedQos()[0]);
            }
        }

        @Override
        public boolean connected() {
            return client.isConnected();
        }

        @Override
        public void close() {
            try {
                if (client.isConnected()) {
                    client.disconnect().waitForCompletion(WAIT_MS);
                }
            } catch (MqttException e) {
                // closing anyway
            }
            try {
                client.close(true);
            } catch (MqttException e) {
                // nothing left to release
            }
        }
    }

    // ---- Paho, MQTT 5

    static final class Paho5 extends PahoConnection {
        private final org.eclipse.paho.mqttv5.client.MqttAsyncClient client;
        /** Completed publishes as they went on the wire, to see which used a topic alias. */
        final List<WirePublish> sent = new CopyOnWriteArrayList<>();

        /** A publish as Paho encoded it: {@code topic} null when the alias stood in for it. */
        record WirePublish(String topic, Integer topicAlias) {}

        private Paho5(org.eclipse.paho.mqttv5.client.MqttAsyncClient client, boolean sessionPresent,
                KillableSockets sockets, BlockingQueue<Received> received, CompletableFuture<Integer> lost) {
            super(sessionPresent, sockets, received, lost);
            this.client = client;
        }

        static Connection connect(GatewayFixture fixture, String clientId, IssuedCertificate cert, Options options)
                throws Exception {
            KillableSockets sockets = new KillableSockets(fixture.clientTls(cert).getSocketFactory());
            MqttConnectionOptions connect = new MqttConnectionOptions();
            connect.setSocketFactory(sockets);
            connect.setAutomaticReconnect(false);
            connect.setCleanStart(!options.persistent());
            connect.setSessionExpiryInterval(options.persistent() ? SESSION_EXPIRY_SECONDS : 0L);
            if (options.willTopic() != null) {
                org.eclipse.paho.mqttv5.common.MqttMessage will =
                        new org.eclipse.paho.mqttv5.common.MqttMessage(options.willPayload());
                will.setQos(1);
                connect.setWill(options.willTopic(), will);
            }
            var client = new org.eclipse.paho.mqttv5.client.MqttAsyncClient("ssl://127.0.0.1:" + fixture.port(),
                    clientId, new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
            BlockingQueue<Received> received = new LinkedBlockingQueue<>();
            CompletableFuture<Integer> lost = new CompletableFuture<>();
            client.setCallback(new org.eclipse.paho.mqttv5.client.MqttCallback() {
                @Override
                public void disconnected(MqttDisconnectResponse response) {
                    lost.complete(response.getException() == null ? response.getReturnCode() : -1);
                }

                @Override
                public void mqttErrorOccurred(org.eclipse.paho.mqttv5.common.MqttException e) {}

                @Override
                public void messageArrived(String topic, org.eclipse.paho.mqttv5.common.MqttMessage message) {
                    received.add(new Received(topic, message.getPayload()));
                }

                @Override
                public void deliveryComplete(org.eclipse.paho.mqttv5.client.IMqttToken token) {}

                @Override
                public void connectComplete(boolean reconnect, String serverURI) {}

                @Override
                public void authPacketArrived(int reasonCode, MqttProperties properties) {}
            });
            try {
                var token = client.connect(connect);
                token.waitForCompletion(WAIT_MS);
                return new Paho5(client, token.getSessionPresent(), sockets, received, lost);
            } catch (org.eclipse.paho.mqttv5.common.MqttException e) {
                client.close(true);
                if (e.getReasonCode() >= 0x80 && e.getReasonCode() <= 0xFF) { // a CONNACK reason code
                    throw new ConnectRefused(e.getReasonCode(), e);
                }
                throw e;
            }
        }

        @Override
        public Publish publish(String topic, byte[] payload, int qos) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            var message = new org.eclipse.paho.mqttv5.common.MqttMessage(payload);
            message.setQos(qos);
            try {
                var token = client.publish(topic, message, null, new MqttActionListener() {
                    @Override
                    public void onSuccess(org.eclipse.paho.mqttv5.client.IMqttToken token) {
                        if (token.getRequestMessage() instanceof org.eclipse.paho.mqttv5.common.packet.MqttPublish p) {
                            sent.add(new WirePublish(p.getTopicName(), p.getProperties().getTopicAlias()));
                        }
                        int[] codes = token.getReasonCodes();
                        if (codes != null && codes.length > 0 && codes[0] >= 0x80) {
                            done.completeExceptionally(new IllegalStateException(
                                    "publish answered with 0x" + Integer.toHexString(codes[0])));
                        } else {
                            done.complete(null);
                        }
                    }

                    @Override
                    public void onFailure(org.eclipse.paho.mqttv5.client.IMqttToken token, Throwable e) {
                        done.completeExceptionally(e);
                    }
                });
                return new Publish(done, token::isComplete); // the receiving thread completes the token
            } catch (org.eclipse.paho.mqttv5.common.MqttException e) {
                done.completeExceptionally(e);
                return new Publish(done, () -> false);
            }
        }

        @Override
        public void subscribe(String filter) throws Exception {
            var token = client.subscribe(filter, 1);
            token.waitForCompletion(WAIT_MS);
            if (token.getReasonCodes()[0] != 1) {
                throw new IllegalStateException(filter + " not granted: " + token.getReasonCodes()[0]);
            }
        }

        @Override
        public boolean connected() {
            return client.isConnected();
        }

        @Override
        public void close() {
            try {
                if (client.isConnected()) {
                    client.disconnect().waitForCompletion(WAIT_MS);
                }
            } catch (org.eclipse.paho.mqttv5.common.MqttException e) {
                // closing anyway
            }
            try {
                client.close(true);
            } catch (org.eclipse.paho.mqttv5.common.MqttException e) {
                // nothing left to release
            }
        }
    }

    /**
     * Hands Paho its TLS sockets and keeps them, so a test can close one under the client: the server then sees the
     * connection end without an MQTT DISCONNECT.
     */
    static final class KillableSockets extends SSLSocketFactory {
        private final SSLSocketFactory tls;
        private final List<Socket> created = new CopyOnWriteArrayList<>();

        KillableSockets(SSLSocketFactory tls) {
            this.tls = tls;
        }

        void kill() throws IOException {
            for (Socket s : created) {
                s.setSoLinger(true, 0); // a reset, not an orderly close
                s.close();
            }
        }

        private Socket kept(Socket s) {
            created.add(s);
            return s;
        }

        @Override
        public Socket createSocket() throws IOException {
            return kept(tls.createSocket());
        }

        @Override
        public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
            return kept(tls.createSocket(s, host, port, autoClose));
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return kept(tls.createSocket(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return kept(tls.createSocket(host, port, localHost, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return kept(tls.createSocket(host, port));
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                throws IOException {
            return kept(tls.createSocket(address, port, localAddress, localPort));
        }

        @Override
        public String[] getDefaultCipherSuites() {
            return tls.getDefaultCipherSuites();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return tls.getSupportedCipherSuites();
        }
    }
}
