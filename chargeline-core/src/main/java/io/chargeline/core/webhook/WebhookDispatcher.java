package io.chargeline.core.webhook;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chargeline.core.alarm.AlarmEvent;
import io.chargeline.core.alarm.AlarmEvents;
import io.chargeline.core.alarm.EventJson;
import io.chargeline.core.presence.PresenceListener;
import io.chargeline.core.telemetry.JsonTimestamps;
import io.chargeline.core.timing.DeadlineQueue;
import io.chargeline.core.timing.TimeOrderedIds;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns alarm and presence events into signed webhook deliveries and gets them through. Each delivery is
 * stored before it is first tried and after every attempt, so a restart resumes where it stopped; failed
 * attempts are retried with exponential backoff and jitter (see {@link RetryPolicy}), and a delivery that
 * runs out of time is kept as FAILED, visible in its webhook's delivery history. The sender checks the
 * addresses it connects to against the {@link WebhookTargetPolicy} (see {@link WebhookSender}); a refused
 * address fails the delivery at once, without retries.
 *
 * <p>Every POST carries {@code X-Chargeline-Signature: sha256=<hex HMAC-SHA256 of the body with the
 * webhook's secret>}. Deliveries of different events may arrive out of order; the body says when the event
 * happened.
 */
public final class WebhookDispatcher implements AlarmEvents, PresenceListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookDispatcher.class);
    /** Pending deliveries across all webhooks; beyond this new ones fail at once (memory and disk stay bounded). */
    static final int MAX_PENDING = 100_000;
    /** Finished deliveries kept per webhook for the history. */
    static final int KEEP_FINISHED = 10_000;
    private static final int SENDERS = 4;

    private final WebhookRegistry registry;
    private final WebhookStore store;
    private final WebhookSender sender;
    private final Clock clock;
    private final RetryPolicy policy;
    private final WebhookMetrics metrics;
    private final TimeOrderedIds ids = new TimeOrderedIds();
    /** When each pending delivery is next tried. */
    private final DeadlineQueue<Due> due = new DeadlineQueue<>();
    /** Pending delivery ids by webhook, so that deleting a webhook forgets its deliveries at once. */
    private final Map<String, Set<String>> open = new ConcurrentHashMap<>();
    /** Deliveries counted as pending: those in {@link #open} plus the ones being admitted by {@link #publish}. */
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicInteger finishedSinceTrim = new AtomicInteger();
    private ExecutorService senders;
    private Thread scheduler;
    private volatile boolean running;

    /** @param sender checks every address it connects to with the {@link WebhookTargetPolicy} the registry uses */
    public WebhookDispatcher(WebhookRegistry registry, WebhookStore store, WebhookSender sender, Clock clock,
            RetryPolicy policy, WebhookMetrics metrics) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.store = Objects.requireNonNull(store, "store");
        this.sender = Objects.requireNonNull(sender, "sender");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        registry.whenDeleted(this::forget);
    }

    /** Re-schedules what was pending when the server stopped. */
    public void resume() {
        List<Delivery> waiting = store.pending();
        for (Delivery d : waiting) {
            pending.incrementAndGet();
            track(d);
            schedule(d);
        }
        if (!waiting.isEmpty()) {
            LOG.info("webhooks: resuming {} pending deliveries", waiting.size());
        }
    }

    /** Starts the scheduler thread and the senders. */
    public synchronized void start() {
        running = true;
        senders = new ThreadPoolExecutor(SENDERS, SENDERS, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1_000),
                r -> {
                    Thread t = new Thread(r, "chargeline-webhook-sender");
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.CallerRunsPolicy());
        scheduler = new Thread(this::loop, "chargeline-webhook-scheduler");
        scheduler.setDaemon(true);
        scheduler.start();
    }

    @Override
    public void announced(AlarmEvent event) {
        publish(event.type(), EventJson.alarm(event.alarm()));
    }

    @Override
    public void connected(String chargerId, Instant at) {
        publish(WebhookEventType.CHARGER_ONLINE, EventJson.object().put("chargerId", chargerId)
                .put("at", JsonTimestamps.format(at)));
    }

    @Override
    public void disconnected(String chargerId, Instant at, DisconnectReason reason) {
        if (reason == DisconnectReason.TAKEN_OVER) {
            return; // the charger is still online through its new connection
        }
        publish(WebhookEventType.CHARGER_OFFLINE, EventJson.object().put("chargerId", chargerId)
                .put("at", JsonTimestamps.format(at)).put("reason", reason.name()));
    }

    /** Creates a delivery for every webhook that wants {@code type}. */
    public void publish(WebhookEventType type, ObjectNode data) {
        List<Webhook> targets = new ArrayList<>();
        for (Webhook w : registry.all()) {
            if (w.wants(type)) {
                targets.add(w);
            }
        }
        if (targets.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        byte[] body = EventJson.envelope(ids.next(now), type.wire(), now, data);
        for (Webhook w : targets) {
            Delivery d = Delivery.pending(ids.next(now), w.id(), type, body, now);
            if (pending.incrementAndGet() > MAX_PENDING) {
                pending.decrementAndGet();
                store.saveDelivery(d.failed(0, "more than " + MAX_PENDING + " deliveries pending", now, false));
                metrics.deadLettered();
                LOG.warn("webhooks: {} pending deliveries; {} event for webhook {} dropped to the failed list",
                        MAX_PENDING, type.wire(), w.id());
                continue;
            }
            try {
                store.saveDelivery(d);
            } catch (RuntimeException e) {
                pending.decrementAndGet();
                LOG.error("webhooks: could not store a {} delivery for webhook {}", type.wire(), w.id(), e);
                continue;
            }
            track(d);
            if (registry.find(w.id()).isEmpty()) {
                forget(w.id()); // deleted since the list above was taken
                continue;
            }
            schedule(d);
        }
    }

    /**
     * Attempts every delivery that is due at the clock's now, on the calling thread. The scheduler thread uses
     * the senders instead; tests with a controlled clock call this.
     *
     * @return how many attempts were made
     */
    public int runDue() {
        List<Due> now = due.takeDue(clock.millis());
        now.forEach(d -> attempt(d.webhookId, d.deliveryId));
        return now.size();
    }

    /** Deliveries not yet delivered or dead-lettered. */
    public int pending() {
        return pending.get();
    }

    private void attempt(String webhookId, String deliveryId) {
        Delivery d = store.findDelivery(webhookId, deliveryId).orElse(null);
        Webhook w = registry.find(webhookId).orElse(null);
        if (d == null || w == null || d.state() != DeliveryState.PENDING) {
            untrack(webhookId, deliveryId); // its webhook was deleted, taking the delivery with it
            return;
        }
        int status = 0;
        String error;
        try {
            status = sender.post(w.url(), d.body(), headers(w, d));
            error = status / 100 == 2 ? null : "HTTP " + status;
        } catch (WebhookTargetRefusedException e) {
            refuse(d, w, e);
            return;
        } catch (IOException | RuntimeException e) {
            error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
        Instant now = clock.instant();
        if (error == null) {
            finish(d.delivered(status, now));
            metrics.delivered();
            return;
        }
        metrics.attemptFailed();
        Duration wait = policy.backoff(d.attempts() + 1);
        Instant next = now.plus(wait);
        if (next.isAfter(d.createdAt().plus(policy.giveUpAfter()))) {
            finish(d.failed(status, error, now, true));
            metrics.deadLettered();
            LOG.warn("webhooks: {} delivery {} to webhook {} ({}) failed after {} attempts: {}", d.event().wire(), d.id(),
                    w.id(), w.url().getHost(), d.attempts() + 1, error);
            return;
        }
        Delivery retry = d.retryAt(next, status, error);
        if (!save(retry)) {
            return;
        }
        LOG.debug("webhooks: delivery {} to {} failed ({}); retry in {}", d.id(), w.url().getHost(), error, wait);
        schedule(retry);
    }

    /** Retrying would not help: the address stays refused until the operator allows it. */
    private void refuse(Delivery d, Webhook w, WebhookTargetRefusedException e) {
        finish(d.failed(0, "refused: " + e.getMessage(), clock.instant(), false));
        metrics.refused();
        LOG.warn("webhooks: {} delivery {} to webhook {} refused, not retried: {}", d.event().wire(), d.id(), w.id(),
                e.getMessage());
    }

    private void finish(Delivery d) {
        if (!save(d)) {
            return;
        }
        untrack(d.webhookId(), d.id());
        if (finishedSinceTrim.incrementAndGet() >= 1_000) {
            finishedSinceTrim.set(0);
            registry.all().forEach(w -> store.trimFinished(w.id(), KEEP_FINISHED));
        }
    }

    static Map<String, String> headers(Webhook w, Delivery d) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("User-Agent", "Chargeline-Webhooks/1");
        headers.put("X-Chargeline-Event", d.event().wire());
        headers.put("X-Chargeline-Delivery", d.id());
        headers.put("X-Chargeline-Signature", "sha256=" + sign(w.secret(), d.body()));
        return headers;
    }

    /** Hex HMAC-SHA256 of {@code body} keyed with {@code secret} (UTF-8). */
    public static String sign(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /**
     * Stores the outcome of an attempt unless the webhook was deleted while it was under way (the delete took
     * its deliveries with it; saving now would leave an orphan behind).
     */
    private boolean save(Delivery d) {
        if (registry.find(d.webhookId()).isEmpty()) {
            untrack(d.webhookId(), d.id());
            return false;
        }
        store.saveDelivery(d);
        return true;
    }

    private void track(Delivery d) {
        open.computeIfAbsent(d.webhookId(), id -> ConcurrentHashMap.newKeySet()).add(d.id());
    }

    /** Ends the pending count of one delivery; only the first call for it counts. */
    private void untrack(String webhookId, String deliveryId) {
        Set<String> ids = open.get(webhookId);
        if (ids != null && ids.remove(deliveryId)) {
            pending.decrementAndGet();
        }
    }

    /** The webhook was deleted: its pending deliveries stop counting and will not be attempted. */
    private void forget(String webhookId) {
        Set<String> ids = open.remove(webhookId);
        if (ids == null) {
            return;
        }
        int dropped = 0;
        for (String deliveryId : List.copyOf(ids)) {
            if (ids.remove(deliveryId)) { // an attempt finishing right now may have taken it already
                due.disarm(new Due(webhookId, deliveryId));
                pending.decrementAndGet();
                dropped++;
            }
        }
        if (dropped > 0) {
            LOG.info("webhooks: webhook {} deleted with {} pending deliveries; they are dropped", webhookId, dropped);
        }
    }

    private void schedule(Delivery d) {
        due.arm(new Due(d.webhookId(), d.id()), d.nextAttemptAt().toEpochMilli());
    }

    private void loop() {
        while (running) {
            try {
                for (Due d : due.takeDue(clock.millis())) {
                    try {
                        senders.execute(() -> safeAttempt(d));
                    } catch (RejectedExecutionException e) {
                        return; // shutting down; the delivery stays pending in the store
                    }
                }
                if (running) {
                    due.await(clock.millis(), 1_000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void safeAttempt(Due d) {
        try {
            attempt(d.webhookId, d.deliveryId);
        } catch (RuntimeException e) {
            // the store failed mid-attempt: try again later rather than lose the delivery
            LOG.error("webhooks: attempt of delivery {} failed; retrying in a minute", d.deliveryId, e);
            due.arm(d, clock.millis() + 60_000);
        }
    }

    @Override
    public void close() {
        running = false;
        due.wakeUp();
        if (scheduler != null) {
            try {
                scheduler.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (senders != null) {
            senders.shutdown();
            try {
                senders.awaitTermination(15, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A pending delivery, by webhook and delivery id. */
    private record Due(String webhookId, String deliveryId) {}
}
