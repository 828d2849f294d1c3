package io.chargeline.core.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NumericFieldsTest {
    private static final String DATA = "{\"power\":7.5,\"meter\":{\"energy\":12,\"phase\":{\"l1\":\"x\"}},\"meter.energy\":3,"
            + "\"list\":[1,{\"a\":2}],\"off\":null,\"on\":true,\"deep\":{\"a\":{\"b\":{\"c\":-1e3}}}}";

    @Test
    void walk_reportsEveryLeafByItsDottedPath_numbersAsNumbers() {
        List<String> seen = new ArrayList<>();
        boolean all = NumericFields.walk(DATA, 100, visitor(seen));

        assertThat(all).isTrue();
        assertThat(seen).containsExactly("power=7.5", "meter.energy=12.0", "meter.phase.l1 other", "meter.energy=3.0",
                "list other", "off other", "on other", "deep.a.b.c=-1000.0");
    }

    @Test
    void find_reportsWhatWalkReportsForThatPath_andNothingElse() {
        for (String path : List.of("power", "meter.energy", "meter.phase.l1", "meter.phase", "list", "list.a", "off",
                "on", "deep.a.b.c", "deep.a", "absent", "meter")) {
            List<String> walked = new ArrayList<>();
            NumericFields.walk(DATA, 100, visitor(walked));
            List<String> found = new ArrayList<>();
            NumericFields.find(DATA, path, visitor(found));

            assertThat(found).as(path).containsExactlyElementsOf(
                    walked.stream().filter(s -> s.startsWith(path + "=") || s.equals(path + " other")).toList());
        }
    }

    @Test
    void walk_stopsAtItsBudget_andSaysSo() {
        List<String> seen = new ArrayList<>();
        assertThat(NumericFields.walk(DATA, 3, visitor(seen))).isFalse();
        assertThat(seen).hasSize(3);
        assertThat(NumericFields.walk(null, 3, visitor(seen))).isTrue();
    }

    private static NumericFields.Visitor visitor(List<String> into) {
        return new NumericFields.Visitor() {
            @Override
            public void number(String path, double value) {
                into.add(path + "=" + value);
            }

            @Override
            public void other(String path) {
                into.add(path + " other");
            }
        };
    }
}
