package io.chargeline.store.rocksdb;

import io.chargeline.core.StorageException;
import io.chargeline.core.webhook.Delivery;
import io.chargeline.core.webhook.DeliveryState;
import io.chargeline.core.webhook.Webhook;
import io.chargeline.core.webhook.WebhookEventType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

/** Binary forms of webhooks and deliveries: a version byte, then the fields. */
final class WebhookCodec {
    private static final byte VERSION = 1;

    private WebhookCodec() {}

    static byte[] encode(Webhook w) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeUTF(w.id());
            out.writeUTF(w.url().toString());
            out.writeUTF(w.secret());
            out.writeByte(w.events().size());
            for (WebhookEventType t : w.events()) {
                out.writeUTF(t.name());
            }
            out.writeLong(w.createdAt().toEpochMilli());
        } catch (IOException e) {
            throw new IllegalStateException("in-memory write failed", e);
        }
        return bytes.toByteArray();
    }

    static Webhook decodeWebhook(byte[] value) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value))) {
            checkVersion(in);
            String id = in.readUTF();
            URI url = URI.create(in.readUTF());
            String secret = in.readUTF();
            int n = in.readByte();
            Set<WebhookEventType> events = EnumSet.noneOf(WebhookEventType.class);
            for (int i = 0; i < n; i++) {
                events.add(WebhookEventType.valueOf(in.readUTF()));
            }
            return new Webhook(id, url, secret, events, Instant.ofEpochMilli(in.readLong()));
        } catch (IOException | IllegalArgumentException e) {
            throw new StorageException("corrupt webhook record: " + e.getMessage(), e);
        }
    }

    static byte[] encode(Delivery d) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(d.body().length + 128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeUTF(d.id());
            out.writeUTF(d.webhookId());
            out.writeUTF(d.event().name());
            out.writeInt(d.body().length);
            out.write(d.body());
            out.writeLong(d.createdAt().toEpochMilli());
            out.writeInt(d.attempts());
            out.writeLong(d.nextAttemptAt() == null ? -1 : d.nextAttemptAt().toEpochMilli());
            out.writeUTF(d.state().name());
            out.writeInt(d.lastStatus());
            out.writeUTF(d.lastError() == null ? "" : d.lastError());
            out.writeLong(d.finishedAt() == null ? -1 : d.finishedAt().toEpochMilli());
        } catch (IOException e) {
            throw new IllegalStateException("in-memory write failed", e);
        }
        return bytes.toByteArray();
    }

    static Delivery decodeDelivery(byte[] value) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value))) {
            checkVersion(in);
            String id = in.readUTF();
            String webhookId = in.readUTF();
            WebhookEventType event = WebhookEventType.valueOf(in.readUTF());
            byte[] body = new byte[in.readInt()];
            in.readFully(body);
            Instant createdAt = Instant.ofEpochMilli(in.readLong());
            int attempts = in.readInt();
            long next = in.readLong();
            DeliveryState state = DeliveryState.valueOf(in.readUTF());
            int lastStatus = in.readInt();
            String lastError = in.readUTF();
            long finished = in.readLong();
            return new Delivery(id, webhookId, event, body, createdAt, attempts, next < 0 ? null : Instant.ofEpochMilli(next),
                    state, lastStatus, lastError.isEmpty() ? null : lastError, finished < 0 ? null : Instant.ofEpochMilli(finished));
        } catch (IOException | IllegalArgumentException e) {
            throw new StorageException("corrupt delivery record: " + e.getMessage(), e);
        }
    }

    private static void checkVersion(DataInputStream in) throws IOException {
        if (in.readByte() != VERSION) {
            throw new IOException("unknown encoding version");
        }
    }
}
