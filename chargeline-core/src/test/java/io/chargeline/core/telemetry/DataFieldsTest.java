package io.chargeline.core.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chargeline.core.InvalidRequestException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DataFieldsTest {
    private static final String DATA = "{\"power\":7.40,\"voltage\":230,\"status\":\"Charging\","
            + "\"meter\":{\"energy\":1234.50,\"phases\":{\"l1\":10,\"l2\":11}},\"connectors\":[{\"power\":1}]}";

    @Test
    void noneAsked_isAllOfData() {
        assertThat(DataFields.parse(null).all()).isTrue();
        assertThat(DataFields.parse("").all()).isTrue();
    }

    @Test
    void topLevelAndNestedPaths_keepTheirNesting_andNumbersAsStored() {
        assertThat(DataFields.parse("power,meter.energy,meter.phases.l2").select(DATA))
                .hasToString("{\"power\":7.40,\"meter\":{\"energy\":1234.50,\"phases\":{\"l2\":11}}}");
    }

    @Test
    void fieldsARecordLacks_areLeftOut_evenThroughANonObject() {
        assertThat(DataFields.parse("current,status.code,connectors.0,power.x").select(DATA)).hasToString("{}");
        assertThat(DataFields.parse("power").select(null)).hasToString("{}");
    }

    @Test
    void anObjectAndAPathInsideIt_giveTheWholeObject_inEitherOrder() {
        String whole = "{\"meter\":{\"energy\":1234.50,\"phases\":{\"l1\":10,\"l2\":11}}}";
        assertThat(DataFields.parse("meter,meter.energy").select(DATA)).hasToString(whole);
        assertThat(DataFields.parse("meter.energy,meter").select(DATA)).hasToString(whole);
    }

    @Test
    void keysAreLookedUpLiterally_nothingIsEvaluated() {
        String data = "{\"$where\":1,\"/etc/passwd\":2,\"__proto__\":3,\"a b\":4,\"ü\":5,\"x\":6}";

        assertThat(DataFields.parse("$where,/etc/passwd,__proto__,a b,ü,*,x[0],'x'").select(data))
                .hasToString("{\"$where\":1,\"/etc/passwd\":2,\"__proto__\":3,\"a b\":4,\"ü\":5}");
    }

    @ParameterizedTest
    @ValueSource(strings = {",", "power,", ",power", "power,,voltage", ".power", "power.", "meter..energy", "../etc", "a\u0001b"})
    void malformedPaths_areRefused_withAReason(String raw) {
        assertThatThrownBy(() -> DataFields.parse(raw)).isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith("fields");
    }

    @Test
    void tooManyOrTooLongPaths_areRefused() {
        String many = IntStream.rangeClosed(1, DataFields.MAX_FIELDS + 1).mapToObj(i -> "f" + i)
                .collect(Collectors.joining(","));
        assertThatThrownBy(() -> DataFields.parse(many)).hasMessage("fields names at most 100 paths");
        assertThat(DataFields.parse(many.substring(0, many.lastIndexOf(','))).all()).isFalse();
        assertThatThrownBy(() -> DataFields.parse("x".repeat(DataFields.MAX_PATH_CHARS + 1)))
                .hasMessage("fields: a path is at most 256 characters");
    }
}
