package io.chargeline.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class PageTest {
    private static final List<String> UNORDERED = List.of("c", "a", "e", "b", "d");

    @Test
    void of_walkedWithItsCursors_visitsEveryItemOnceInKeyOrder() {
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            Page<String> page = Page.of(UNORDERED, Function.identity(), cursor, 2);
            seen.addAll(page.items());
            cursor = page.nextCursor();
        } while (cursor != null);

        assertThat(seen).containsExactly("a", "b", "c", "d", "e");
    }

    @Test
    void of_lastFullPage_hasNoCursor() {
        assertThat(Page.of(UNORDERED, Function.identity(), "c", 2)).isEqualTo(new Page<>(List.of("d", "e"), null));
        assertThat(Page.of(List.<String>of(), Function.identity(), null, 2)).isEqualTo(new Page<>(List.of(), null));
    }
}
