package io.chargeline.core.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chargeline.core.ConflictException;
import io.chargeline.core.InvalidRequestException;
import io.chargeline.core.NotFoundException;
import io.chargeline.core.OverloadedException;
import io.chargeline.core.Page;
import io.chargeline.core.device.Device;
import io.chargeline.core.device.DeviceService;
import io.chargeline.core.presence.PresenceListener;
import io.chargeline.core.timing.DeadlineLoop;
import io.chargeline.core.timing.DeadlineQueue;
import io.chargeline.core.timing.SerialWorker;
import io.chargeline.core.timing.TimeOrderedIds;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commands to chargers, from issue to outcome. The store is the truth: a command waits there until its charger
 * is connected and subscribed, is sent again on each new connection until the charger acknowledges it, and
 * survives restarts; nothing depends on the broker's session state. Delivery is therefore at least once, and
 * chargers recognise a repeat by its {@code commandId}.
 *
 * <p>Every change of state runs on one writer thread, so a reply, a PUBACK, a cancel and the expiry never
 * overwrite each other, and each change is durable before it is visible. The writer's queue is bounded: when
 * it is full, callers get {@link OverloadedException}.
 */
public final class CommandService implements CommandInbox, PresenceListener, AutoCloseable {
    public static final int MAX_PAYLOAD_BYTES = 64 * 1024;
    public static final Duration DEFAULT_TTL = Duration.ofHours(1);
    public static final Duration MAX_TTL = Duration.ofDays(30);
    public static final Duration MAX_WAIT = Duration.ofSeconds(60);
    static final int MAX_OPEN_PER_CHARGER = 1_000;
    static final int MAX_OPEN = 200_000;
    private static final int MAX_QUEUED_CHANGES = 10_000;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(CommandService.class);

    private final CommandStore store;
    private final DeviceService devices;
    private final Clock clock;
    private final CommandMetrics metrics;
    private final TimeOrderedIds ids = new TimeOrderedIds();
    private final SerialWorker writer = new SerialWorker("chargeline-commands", MAX_QUEUED_CHANGES);
    /** Open (not final) commands by id, and by charger in issue order. Changed only on the writer thread. */
    private final Map<String, Command> open = new ConcurrentHashMap<>();
    private final Map<String, NavigableMap<String, Command>> openByCharger = new ConcurrentHashMap<>();
    /** Chargers connected now, each with the number of its current connection. */
    private final Map<String, Long> connections = new ConcurrentHashMap<>();
    /** The connection each open command was last sent on, so one connection gets it once. */
    private final Map<String, Long> sentOn = new ConcurrentHashMap<>();
    /** Chargers with a send chain running; TRUE when another trigger came in meanwhile. */
    private final Map<String, Boolean> sending = new ConcurrentHashMap<>();
    private final Map<String, List<CompletableFuture<Command>>> waiters = new ConcurrentHashMap<>();
    private final DeadlineQueue<String> expiries = new DeadlineQueue<>();
    private final AtomicLong connectionNumbers = new AtomicLong();
    private volatile CommandChannel channel = CommandChannel.NONE;
    private final List<Consumer<Command>> listeners = new CopyOnWriteArrayList<>();
    private final DeadlineLoop loop;

    public CommandService(CommandStore store, DeviceService devices, Clock clock, CommandMetrics metrics) {
        this.store = Objects.requireNonNull(store, "store");
        this.devices = Objects.requireNonNull(devices, "devices");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.loop = new DeadlineLoop("chargeline-command-expiry", expiries, clock, this::expireDue);
        for (Command c : store.open()) {
            track(c);
        }
        if (!open.isEmpty()) {
            LOG.info("commands: {} open commands picked up from the store", open.size());
        }
    }

    /** Set once the gateway is up. */
    public void attachChannel(CommandChannel channel) {
        this.channel = Objects.requireNonNull(channel, "channel");
    }

    /**
     * {@code listener} sees every command after each stored change (issue included), on the writer thread, in
     * order. It must return quickly.
     */
    public void addListener(Consumer<Command> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Ends an open command on the server's word, e.g. an update whose charger already reports the new version.
     * Does nothing if it is final by then.
     */
    public void conclude(String commandId, CommandStatus outcome, String resultJson) {
        if (!outcome.isFinal()) {
            throw new IllegalArgumentException("not a final status: " + outcome);
        }
        writer.offer(() -> {
            Command c = open.get(commandId);
            if (c != null) {
                change(c, outcome, resultJson);
            }
        });
    }

    /** Starts expiring commands at their ttl. */
    public void start() {
        loop.start();
    }

    /**
     * Stores a new command for {@code chargerId} and sends it at once if the charger is reachable.
     *
     * @param payloadJson a JSON text, at most {@link #MAX_PAYLOAD_BYTES} bytes
     * @param ttl how long it may wait and run before it expires; null for {@link #DEFAULT_TTL}
     */
    public Command issue(String chargerId, String name, String payloadJson, Duration ttl) {
        Device device = devices.require(chargerId);
        if (device.isRevoked()) {
            throw new ConflictException("charger " + chargerId + " is revoked; it cannot receive commands");
        }
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidRequestException("name must match ^[A-Za-z0-9._-]{1,64}$");
        }
        String payload = payloadJson == null ? "{}" : payloadJson;
        if (payload.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_PAYLOAD_BYTES) {
            throw new InvalidRequestException("payload must be at most " + MAX_PAYLOAD_BYTES + " bytes of JSON");
        }
        Duration life = ttl == null ? DEFAULT_TTL : ttl;
        if (life.compareTo(Duration.ofSeconds(1)) < 0 || life.compareTo(MAX_TTL) > 0) {
            throw new InvalidRequestException("ttl must be between PT1S and P30D");
        }
        return writer.call(() -> {
            if (open.size() >= MAX_OPEN) {
                throw new OverloadedException(MAX_OPEN + " commands are open; wait for some to finish");
            }
            NavigableMap<String, Command> ofCharger = openByCharger.get(chargerId);
            if (ofCharger != null && ofCharger.size() >= MAX_OPEN_PER_CHARGER) {
                throw new ConflictException("charger " + chargerId + " has " + MAX_OPEN_PER_CHARGER
                        + " open commands; cancel some or wait for them to finish or expire");
            }
            Instant now = clock.instant();
            Command command = Command.queued(ids.next(now), chargerId, name, payload, now, now.plus(life));
            store.save(command);
            track(command);
            metrics.entered(CommandStatus.QUEUED);
            tell(command);
            LOG.debug("{} command {} '{}' queued (expires {})", chargerId, command.id(), name, command.expiresAt());
            sendWaiting(chargerId);
            return command;
        });
    }

    /** The command, as stored. */
    public Command find(String chargerId, String commandId) {
        devices.kind().requireId(chargerId);
        if (!TimeOrderedIds.isWellFormed(commandId)) {
            throw new NotFoundException("no command " + commandId + " for charger " + chargerId);
        }
        Command live = open.get(commandId);
        if (live != null && live.chargerId().equals(chargerId)) {
            return live;
        }
        return store.find(chargerId, commandId)
                .orElseThrow(() -> new NotFoundException("no command " + commandId + " for charger " + chargerId));
    }

    public Page<Command> list(String chargerId, CommandStatus status, String cursor, int limit) {
        devices.require(chargerId);
        return store.list(chargerId, status, cursor, limit);
    }

    /**
     * Completes with the command once it is final, or with its state then when {@code wait} has passed first.
     */
    public CompletableFuture<Command> awaitFinal(String chargerId, String commandId, Duration wait) {
        Command now = find(chargerId, commandId);
        if (now.status().isFinal()) {
            return CompletableFuture.completedFuture(now);
        }
        CompletableFuture<Command> done = new CompletableFuture<>();
        waiters.computeIfAbsent(commandId, id -> new CopyOnWriteArrayList<>()).add(done);
        if (!open.containsKey(commandId)) { // it finished between the read and the registration
            done.complete(find(chargerId, commandId));
        }
        return done.completeOnTimeout(null, wait.toMillis(), TimeUnit.MILLISECONDS)
                .thenApply(c -> c != null ? c : find(chargerId, commandId))
                .whenComplete((c, e) -> waiters.computeIfPresent(commandId, (id, list) -> {
                    list.remove(done);
                    return list.isEmpty() ? null : list;
                }));
    }

    /** Cancels a command that has not reached its charger yet. */
    public Command cancel(String chargerId, String commandId) {
        find(chargerId, commandId);
        return writer.call(() -> {
            Command c = open.get(commandId);
            if (c == null) {
                Command finished = find(chargerId, commandId);
                throw new ConflictException("command " + commandId + " is already " + finished.status());
            }
            if (!c.status().awaitsDelivery()) {
                throw new ConflictException("command " + commandId + " was already delivered (" + c.status()
                        + "); it can no longer be cancelled");
            }
            return change(c, CommandStatus.CANCELLED, null);
        });
    }

    // --- the gateway's side ---

    /** A charger connected: what waits for it is sent once it is subscribed. */
    @Override
    public void connected(String chargerId, Instant at) {
        connections.put(chargerId, connectionNumbers.incrementAndGet());
        subscribed(chargerId); // a persistent session is subscribed already
    }

    @Override
    public void disconnected(String chargerId, Instant at, DisconnectReason reason) {
        if (reason != DisconnectReason.TAKEN_OVER) {
            connections.remove(chargerId);
        }
    }

    @Override
    public void subscribed(String chargerId) {
        if (openByCharger.containsKey(chargerId)) { // most chargers have nothing waiting: no work queued
            writer.offer(() -> sendWaiting(chargerId));
        }
    }

    @Override
    public void delivered(String chargerId, String commandId) {
        writer.offer(() -> {
            Command c = open.get(commandId);
            if (c != null && c.chargerId().equals(chargerId) && c.status().awaitsDelivery()) {
                change(c, CommandStatus.DELIVERED, null);
                metrics.delivered(Duration.between(c.issuedAt(), clock.instant()));
            }
        });
    }

    @Override
    public void undeliverable(String chargerId, String commandId, String reason) {
        writer.offer(() -> {
            Command c = open.get(commandId);
            if (c != null && c.chargerId().equals(chargerId) && c.status().awaitsDelivery()) {
                LOG.info("{} command {} cannot be delivered: {}", chargerId, commandId, reason);
                apply(c, c.failedUndelivered(clock.instant()), JSON.createObjectNode().put("error", reason).toString());
            }
        });
    }

    @Override
    public Reply reply(String chargerId, String commandId, byte[] payload) {
        Command c = open.get(commandId);
        if (c == null || !c.chargerId().equals(chargerId)) {
            metrics.replyRefused(Reply.Outcome.NOT_OPEN);
            return Reply.refused(Reply.Outcome.NOT_OPEN, "command " + commandId + " is not open for charger " + chargerId
                    + " (unknown, finished, or another charger's)");
        }
        CommandStatus status;
        String result;
        try {
            JsonNode body = JSON.readTree(payload);
            if (body == null || !body.isObject()) {
                throw new IOException("not a JSON object");
            }
            status = CommandStatus.valueOf(body.path("status").asText(""));
            if (!status.isReplyStatus()) {
                throw new IllegalArgumentException();
            }
            JsonNode r = body.get("result");
            result = r == null || r.isNull() ? null : r.toString();
        } catch (IOException | IllegalArgumentException e) {
            metrics.replyRefused(Reply.Outcome.MALFORMED);
            return Reply.refused(Reply.Outcome.MALFORMED, "a reply must be {\"status\":\"IN_PROGRESS|SUCCEEDED|FAILED|REJECTED\",\"result\":{...}}");
        }
        CompletableFuture<Void> durable = new CompletableFuture<>();
        boolean queued = writer.offer(() -> {
            try {
                Command current = open.get(commandId);
                if (current != null) {
                    change(current, status, result);
                }
                durable.complete(null);
            } catch (RuntimeException e) {
                durable.completeExceptionally(e);
            }
        });
        if (!queued) {
            metrics.replyRefused(Reply.Outcome.BUSY);
            return Reply.refused(Reply.Outcome.BUSY, "server busy, retry later");
        }
        return Reply.accepted(durable);
    }

    /** The commands not yet final, as they are now. */
    public List<Command> open() {
        return List.copyOf(open.values());
    }

    /** Commands not yet final. */
    public int openCount() {
        return open.size();
    }

    /** Expires what is due now. For the expiry thread and tests. */
    public void expireDue() {
        long now = clock.millis();
        for (String id : expiries.takeDue(now)) {
            boolean queued = writer.offer(() -> {
                Command c = open.get(id);
                if (c == null) {
                    return;
                }
                if (clock.instant().isBefore(c.expiresAt())) {
                    expiries.arm(id, expiryMillis(c)); // early (the clock stepped back): not dropped, only later
                } else {
                    change(c, CommandStatus.EXPIRED, null);
                }
            });
            if (!queued) {
                expiries.arm(id, now + 1_000); // the writer is swamped; try again shortly
            }
        }
    }

    /** Waits until the writer has nothing left to do. For tests. */
    public void drain() {
        writer.drain();
    }

    @Override
    public void close() {
        loop.close();
        writer.close();
    }

    // --- writer thread only ---

    /**
     * Sends the charger's waiting commands, oldest first, one after the other: the next goes out only once the
     * broker has queued the previous one, so they arrive in order. One chain per charger at a time; a trigger
     * during a chain makes it look again at its end.
     */
    private void sendWaiting(String chargerId) {
        if (sending.putIfAbsent(chargerId, Boolean.FALSE) != null) {
            sending.put(chargerId, Boolean.TRUE); // look again when the running chain ends
            return;
        }
        sendNext(chargerId);
    }

    private void sendNext(String chargerId) {
        Long connection = connections.get(chargerId);
        Command next = connection == null ? null : nextToSend(chargerId, connection);
        if (next == null) {
            if (Boolean.TRUE.equals(sending.remove(chargerId))) {
                sendWaiting(chargerId);
            }
            return;
        }
        sentOn.put(next.id(), connection);
        channel.send(next).whenComplete((sent, error) -> {
            boolean onItsWay = Boolean.TRUE.equals(sent);
            if (error != null) {
                LOG.warn("{} command {} could not be sent: {}", chargerId, next.id(), error.getMessage());
            }
            boolean queued = writer.offer(() -> {
                if (!onItsWay) {
                    sentOn.remove(next.id(), connection);
                    // not subscribed (yet): the chain ends, unless a SUBACK came in meanwhile and asked to look again
                    if (Boolean.TRUE.equals(sending.remove(chargerId))) {
                        sendWaiting(chargerId);
                    }
                    return;
                }
                Command current = open.get(next.id());
                if (current != null && current.status() == CommandStatus.QUEUED) {
                    change(current, CommandStatus.SENT, null);
                }
                sendNext(chargerId);
            });
            if (!queued) {
                sentOn.remove(next.id(), connection);
                sending.remove(chargerId); // the next connection or subscription starts over
            }
        });
    }

    private Command nextToSend(String chargerId, Long connection) {
        NavigableMap<String, Command> waiting = openByCharger.get(chargerId);
        if (waiting != null) {
            for (Command c : waiting.values()) {
                if (c.status().awaitsDelivery() && !connection.equals(sentOn.get(c.id()))) {
                    return c;
                }
            }
        }
        return null;
    }

    /** Stores {@code c} moved to {@code next} (with {@code result} when not null), then makes it visible. */
    private Command change(Command c, CommandStatus next, String result) {
        return apply(c, c.movedTo(next, clock.instant()), result);
    }

    private Command apply(Command c, Command moved, String result) {
        Command changed = moved;
        if (result != null) {
            changed = changed.withResult(result);
        }
        if (changed.equals(c)) {
            return c;
        }
        store.save(changed);
        for (int i = c.transitions().size(); i < changed.transitions().size(); i++) {
            metrics.entered(changed.transitions().get(i).status());
        }
        tell(changed);
        if (changed.status().isFinal()) {
            untrack(changed);
            // DEBUG, failures too: one line per command buries the log of a fleet, and every outcome is in the
            // API, in chargeline_commands_total{status} and, for updates, in the job's own lines
            LOG.debug("{} command {} '{}' {}", changed.chargerId(), changed.id(), changed.name(), changed.status());
            List<CompletableFuture<Command>> waiting = waiters.remove(changed.id());
            if (waiting != null) {
                for (CompletableFuture<Command> w : waiting) {
                    w.complete(changed);
                }
            }
        } else {
            track(changed);
        }
        return changed;
    }

    private void tell(Command c) {
        for (Consumer<Command> listener : listeners) {
            try {
                listener.accept(c);
            } catch (RuntimeException e) {
                LOG.error("commands: a listener failed on command {}", c.id(), e);
            }
        }
    }

    private void track(Command c) {
        open.put(c.id(), c);
        openByCharger.computeIfAbsent(c.chargerId(), id -> new ConcurrentSkipListMap<>()).put(c.id(), c);
        expiries.arm(c.id(), expiryMillis(c));
    }

    /** The first millisecond at which {@code c} has expired: its expiry rounded up, as the clock has microseconds. */
    private static long expiryMillis(Command c) {
        Instant at = c.expiresAt();
        return at.toEpochMilli() + (at.getNano() % 1_000_000 == 0 ? 0 : 1);
    }

    private void untrack(Command c) {
        open.remove(c.id());
        sentOn.remove(c.id());
        expiries.disarm(c.id());
        openByCharger.computeIfPresent(c.chargerId(), (id, m) -> {
            m.remove(c.id());
            return m.isEmpty() ? null : m;
        });
    }

}
