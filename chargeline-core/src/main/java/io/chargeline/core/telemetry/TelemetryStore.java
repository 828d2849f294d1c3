package io.chargeline.core.telemetry;

import io.chargeline.core.Page;
import io.chargeline.core.StorageException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Durable home of telemetry and of refused messages. Implementations are thread-safe for reads; {@link
 * #commit} is called from one writer thread.
 */
public interface TelemetryStore extends AutoCloseable {

    /**
     * Writes records (replacing any with the same charger and timestamp) and dead letters atomically. Returns
     * only once the write is durable; throws {@link StorageException} when it is not, and then nothing was
     * written.
     *
     * <p>A record the store cannot encode is left out rather than failing the others, and returned: the rest
     * are written.
     *
     * @return the records of {@code records} that were not written, by index, with why
     */
    List<Unstorable> commit(List<TelemetryRecord> records, List<DeadLetter> deadLetters);

    /** A record {@link #commit} left out: its index in the committed list, and why, in words. */
    record Unstorable(int index, String detail) {}

    /**
     * Corrects one record: stores it with {@code change} applied to its data (null for none) and {@code updatedAt}
     * set to {@code at}, keeping rollups exact; serialized with {@link #commit}. Empty when there is no record at
     * {@code timestamp}. {@code change} runs under the store's write lock: it must be quick and may throw to refuse.
     */
    Optional<TelemetryRecord> update(String chargerId, Instant timestamp, UnaryOperator<String> change, Instant at);

    /**
     * Deletes the charger's records with {@code from <= timestamp < to}, keeping rollups and the latest index
     * exact; serialized with {@link #commit}. A long range goes in several atomic steps, newest first. Returns how
     * many records went.
     */
    long delete(String chargerId, Instant from, Instant to);

    /** The record with the greatest timestamp for this charger. */
    Optional<TelemetryRecord> latest(String chargerId);

    /**
     * {@link #latest(String)} of many chargers at once: those that have a record, in the order asked. Stores
     * override it to read them in one go.
     */
    default List<TelemetryRecord> latest(List<String> chargerIds) {
        List<TelemetryRecord> found = new ArrayList<>(chargerIds.size());
        for (String id : chargerIds) {
            latest(id).ifPresent(found::add);
        }
        return found;
    }

    Page<TelemetryRecord> history(HistoryQuery query);

    /**
     * Each of the charger's records with {@code from <= timestamp < to}, oldest first, read a page at a time; the
     * scan stops when {@code sink} returns false.
     */
    default void scan(String chargerId, Instant from, Instant to, Predicate<TelemetryRecord> sink) {
        String cursor = null;
        do {
            Page<TelemetryRecord> page = history(new HistoryQuery(chargerId, from, to, HistoryQuery.MAX_LIMIT, false, cursor));
            for (TelemetryRecord r : page.items()) {
                if (!sink.test(r)) {
                    return;
                }
            }
            cursor = page.nextCursor();
        } while (cursor != null);
    }

    /**
     * The charger's {@code period} rollups of {@code field} for the periods starting in {@code [from, to)} (both
     * period starts) that have records, oldest first. This default works them out from the records; a store that
     * keeps rollups as it writes answers from those, and must give the same answer.
     */
    default List<FieldRollup> rollups(String chargerId, RollupPeriod period, Instant from, Instant to, String field) {
        return RollupsFromRecords.read(this, chargerId, period, from, to, field);
    }

    /**
     * Up to {@code limit} records of all chargers with {@code from <= timestamp < to}, after {@code after} (the last
     * record of the previous chunk; null to start): day by day, within a day by charger, then by time. Exports read
     * a range in such chunks, so no read holds the store for long and memory stays at one chunk.
     */
    List<TelemetryRecord> fleetChunk(Instant from, Instant to, TelemetryRecord after, int limit);

    /** How many records the charger has with {@code from <= timestamp < to}. */
    long count(String chargerId, Instant from, Instant to);

    /**
     * Each charger's receive time of its last stored record, for re-arming silence alarms after a restart.
     * Written with the records, in the same commit.
     */
    java.util.Map<String, Instant> lastReceived();

    /** The newest dead letters first. */
    List<DeadLetter> recentDeadLetters(int limit);

    /** Drops whatever the retention policy says has expired at {@code now}; returns how many buckets went. */
    int expire(Instant now);

    @Override
    void close();
}
