package io.chargeline.core.webhook;

import io.chargeline.core.InvalidRequestException;
import io.chargeline.core.NotFoundException;
import io.chargeline.core.Page;
import io.chargeline.core.timing.TimeOrderedIds;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** Registered webhooks, validated on the way in and held in memory for the dispatcher. */
public final class WebhookRegistry {
    public static final int MAX_WEBHOOKS = 100;
    /** Longer URLs are refused; receivers' URLs are short, and browsers and proxies stop near here too. */
    public static final int MAX_URL_LENGTH = 2_048;
    private static final int MIN_SECRET = 16;
    private static final int MAX_SECRET = 256;

    private final WebhookStore store;
    private final Clock clock;
    private final WebhookTargetPolicy targets;
    private final TimeOrderedIds ids = new TimeOrderedIds();
    private final Map<String, Webhook> byId = new ConcurrentSkipListMap<>();
    private final List<Consumer<String>> deletionListeners = new CopyOnWriteArrayList<>();

    public WebhookRegistry(WebhookStore store, Clock clock, WebhookTargetPolicy targets) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.targets = Objects.requireNonNull(targets, "targets");
        store.webhooks().forEach(w -> byId.put(w.id(), w));
    }

    /**
     * Registers a receiver for {@code events} (wire names such as alarm.raised). The URL's host must resolve
     * now, to addresses the {@link WebhookTargetPolicy} allows; every delivery checks again.
     */
    public Webhook register(String url, String secret, List<String> events) {
        URI target = validUrl(url);
        if (secret == null || secret.length() < MIN_SECRET || secret.length() > MAX_SECRET) {
            throw new InvalidRequestException("secret must be " + MIN_SECRET + " to " + MAX_SECRET + " characters");
        }
        if (events == null || events.isEmpty()) {
            throw new InvalidRequestException("events must name at least one event, e.g. [\"alarm.raised\"]");
        }
        Set<WebhookEventType> types = EnumSet.noneOf(WebhookEventType.class);
        events.forEach(e -> types.add(WebhookEventType.fromWire(e)));
        checkReachable(target); // last, and outside the lock: it may wait for DNS
        synchronized (this) {
            if (byId.size() >= MAX_WEBHOOKS) {
                throw new InvalidRequestException("at most " + MAX_WEBHOOKS + " webhooks; delete one first");
            }
            Webhook webhook = new Webhook(ids.next(clock.instant()), target, secret, types, clock.instant());
            store.saveWebhook(webhook);
            byId.put(webhook.id(), webhook);
            return webhook;
        }
    }

    public Webhook get(String id) {
        return find(id).orElseThrow(() -> new NotFoundException("no webhook " + id));
    }

    public Optional<Webhook> find(String id) {
        return Optional.ofNullable(id == null ? null : byId.get(id));
    }

    public List<Webhook> all() {
        return List.copyOf(byId.values());
    }

    /** The webhooks in id (creation) order, after {@code afterId} when it is not null. */
    public Page<Webhook> list(String afterId, int limit) {
        return Page.of(all(), Webhook::id, afterId, limit);
    }

    /** Removes the webhook; its pending deliveries are dropped with it (the listeners hear of it at once). */
    public synchronized void delete(String id) {
        get(id);
        store.deleteWebhook(id);
        byId.remove(id);
        deletionListeners.forEach(listener -> listener.accept(id));
    }

    /** {@code listener} gets the id of every webhook deleted from now on, after it is gone from the store. */
    public void whenDeleted(Consumer<String> listener) {
        deletionListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public Page<Delivery> deliveries(String webhookId, int limit, String cursor) {
        get(webhookId);
        if (cursor != null && !TimeOrderedIds.isWellFormed(cursor)) {
            throw new InvalidRequestException("cursor is not one this server issued");
        }
        return store.deliveries(webhookId, limit, cursor);
    }

    private void checkReachable(URI url) {
        try {
            targets.checkedAddresses(url.getHost());
        } catch (UnknownHostException e) {
            throw new InvalidRequestException("url host " + url.getHost() + " does not resolve; a webhook is checked "
                    + "against the addresses its host resolves to, so register it once the name resolves");
        }
    }

    private static URI validUrl(String url) {
        if (url == null || url.isBlank()) {
            throw new InvalidRequestException("url is required");
        }
        if (url.length() > MAX_URL_LENGTH) {
            throw new InvalidRequestException("url must be at most " + MAX_URL_LENGTH + " characters, was "
                    + url.length());
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                throw new InvalidRequestException("url must be an absolute http or https URL, was " + url);
            }
            if (uri.getUserInfo() != null) {
                throw new InvalidRequestException("url must not carry credentials; the secret signs each delivery");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new InvalidRequestException("url is not a valid URL: " + e.getMessage());
        }
    }
}
