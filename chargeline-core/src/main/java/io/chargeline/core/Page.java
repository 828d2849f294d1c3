package io.chargeline.core;

import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/** One page of a listing; {@code nextCursor} is {@code null} on the last page. */
public record Page<T>(List<T> items, String nextCursor) {
    public Page {
        items = List.copyOf(items);
    }

    /**
     * A page of a small list held in memory, in {@code key} order: the items after {@code afterKey} (all when it
     * is null), at most {@code limit}; the next cursor is the last key returned while more follow.
     */
    public static <T> Page<T> of(List<T> all, Function<T, String> key, String afterKey, int limit) {
        List<T> after = all.stream()
                .filter(t -> afterKey == null || key.apply(t).compareTo(afterKey) > 0)
                .sorted(Comparator.comparing(key))
                .toList();
        if (after.size() <= limit) {
            return new Page<>(after, null);
        }
        List<T> items = after.subList(0, limit);
        return new Page<>(items, key.apply(items.get(limit - 1)));
    }
}
