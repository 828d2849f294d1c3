package io.chargeline.core.alarm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chargeline.core.InvalidRequestException;
import io.chargeline.core.NotFoundException;
import io.chargeline.core.Page;
import io.chargeline.core.telemetry.TelemetryRecord;
import io.chargeline.core.timing.DeadlineLoop;
import io.chargeline.core.timing.DeadlineQueue;
import io.chargeline.core.timing.TimeOrderedIds;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Value rules on telemetry (THRESHOLD alarms). Each record is checked against every rule as it is taken in;
 * a breach starts a streak, and the alarm is raised when the streak has lasted the rule's duration, exactly
 * then (a timer fires even if no further message comes). The first non-breaching value ends the streak and
 * clears the alarm. Records without the field, or with a non-numeric value, change nothing.
 *
 * <p>Streaks are kept in memory: after a restart a breach in progress starts its duration again with the next
 * message, and active alarms clear as usual.
 */
public final class RuleEvaluator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RuleEvaluator.class);
    public static final int MAX_RULES = 100;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AlarmBook book;
    private final AlarmStore store;
    private final Clock clock;
    private final TimeOrderedIds ids = new TimeOrderedIds();
    private final List<AlarmRule> rules = new CopyOnWriteArrayList<>();
    private final Map<StreakKey, Streak> streaks = new ConcurrentHashMap<>();
    private final DeadlineQueue<StreakKey> deadlines = new DeadlineQueue<>();
    private final DeadlineLoop loop;

    public RuleEvaluator(AlarmBook book, AlarmStore store, Clock clock) {
        this.book = Objects.requireNonNull(book, "book");
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.loop = new DeadlineLoop("chargeline-alarm-rules", deadlines, clock, this::runDue);
        rules.addAll(store.rules());
    }

    public synchronized AlarmRule add(String field, String op, double value, Duration forDuration) {
        AlarmRule.validate(field, value, forDuration);
        if (rules.size() >= MAX_RULES) {
            throw new InvalidRequestException("at most " + MAX_RULES + " rules; delete one first");
        }
        Instant now = clock.instant();
        AlarmRule rule = new AlarmRule(ids.next(now), field, AlarmRule.Op.fromSymbol(op), value, forDuration, now);
        store.saveRule(rule);
        rules.add(rule);
        LOG.info("alarms: rule {} added: {}", rule.id(), rule.describe());
        return rule;
    }

    /** Deletes the rule; its active alarms are cleared. */
    public synchronized void delete(String id) {
        AlarmRule rule = find(id).orElseThrow(() -> new NotFoundException("no alarm rule " + id));
        store.deleteRule(id);
        rules.remove(rule);
        streaks.keySet().removeIf(k -> k.ruleId.equals(id));
        Instant now = clock.instant();
        for (Alarm a : book.activeForRule(id)) {
            book.clear(a.chargerId(), AlarmType.THRESHOLD, id, now, ClearReason.RULE_DELETED);
        }
    }

    /**
     * Forgets the charger's breach streaks (it was revoked), so no rule raises an alarm for it from what it
     * sent before; its active alarms are the caller's to clear ({@link AlarmBook#clearAll}).
     */
    public void untrack(String chargerId) {
        for (StreakKey key : List.copyOf(streaks.keySet())) {
            if (key.chargerId.equals(chargerId) && streaks.remove(key) != null) {
                deadlines.disarm(key);
            }
        }
    }

    /** The rules in id (creation) order, after {@code afterId} when it is not null. */
    public Page<AlarmRule> rules(String afterId, int limit) {
        return Page.of(rules, AlarmRule::id, afterId, limit);
    }

    public Optional<AlarmRule> find(String id) {
        return rules.stream().filter(r -> r.id().equals(id)).findFirst();
    }

    /** Checks one record against every rule; nothing to do (and no parsing) while there are no rules. */
    public void received(TelemetryRecord record) {
        if (rules.isEmpty() || record.dataJson() == null) {
            return;
        }
        JsonNode data;
        try {
            data = JSON.readTree(record.dataJson());
        } catch (IOException e) {
            return; // validated before; cannot happen
        }
        for (AlarmRule rule : rules) {
            JsonNode value = at(data, rule.field());
            if (value != null && value.isNumber()) {
                evaluate(rule, record.chargerId(), record.receivedAt(), value.doubleValue());
            }
        }
    }

    private void evaluate(AlarmRule rule, String chargerId, Instant at, double value) {
        StreakKey key = new StreakKey(rule.id(), chargerId);
        if (!rule.op().test(value, rule.value())) {
            if (streaks.remove(key) != null) {
                deadlines.disarm(key);
            }
            if (book.active(chargerId, AlarmType.THRESHOLD, rule.id()).isPresent()) {
                book.clear(chargerId, AlarmType.THRESHOLD, rule.id(), at, ClearReason.VALUE_RECOVERED);
                LOG.info("{} {} no longer holds (value {}); alarm cleared", chargerId, rule.describe(), value);
            }
            return;
        }
        Streak streak = streaks.compute(key, (k, s) -> s == null ? new Streak(at, at, value) : s.seen(at, value));
        Instant due = streak.since.plus(rule.forDuration());
        if (!due.isAfter(at)) {
            raise(rule, chargerId, streak, due);
        } else if (streak.since.equals(at)) {
            deadlines.arm(key, due.toEpochMilli());
        }
    }

    /** Raises what has breached long enough by the clock's now; the timer thread calls it, tests too. */
    public void runDue() {
        Instant now = clock.instant();
        for (StreakKey key : deadlines.takeDue(now.toEpochMilli())) {
            Streak streak = streaks.get(key);
            Optional<AlarmRule> rule = find(key.ruleId);
            if (streak != null && rule.isPresent()) {
                raise(rule.get(), key.chargerId, streak, streak.since.plus(rule.get().forDuration()));
            }
        }
    }

    private void raise(AlarmRule rule, String chargerId, Streak streak, Instant deadline) {
        if (book.active(chargerId, AlarmType.THRESHOLD, rule.id()).isPresent()) {
            return;
        }
        Instant now = clock.instant();
        book.raise(Alarm.threshold(book.newId(now), chargerId, now, deadline, streak.last, rule, streak.lastValue), true);
        LOG.info("{} {}: alarm raised (value {})", chargerId, rule.describe(), streak.lastValue);
    }

    private static JsonNode at(JsonNode data, String dottedField) {
        JsonNode node = data;
        for (String part : dottedField.split("\\.")) {
            node = node == null ? null : node.get(part);
        }
        return node;
    }

    public void start() {
        loop.start();
    }

    @Override
    public void close() {
        loop.close();
    }

    private record StreakKey(String ruleId, String chargerId) {}

    /** A run of breaching values: since when, and the latest one. */
    private record Streak(Instant since, Instant last, double lastValue) {
        Streak seen(Instant at, double value) {
            return new Streak(since, at.isAfter(last) ? at : last, value);
        }
    }
}
