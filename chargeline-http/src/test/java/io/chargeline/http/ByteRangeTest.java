package io.chargeline.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ByteRangeTest {

    @ParameterizedTest
    @CsvSource({
        "bytes=0-99, 0, 99",
        "bytes=100-, 100, 999",
        "bytes=-10, 990, 999",
        "bytes=-5000, 0, 999",
        "bytes=900-5000, 900, 999",
        "' bytes=5-5 ', 5, 5"
    })
    void singleRanges_areClampedToTheFile(String header, long first, long last) {
        assertThat(ByteRange.parse(header, 1000)).isEqualTo(new ByteRange(first, last));
    }

    @ParameterizedTest
    @ValueSource(strings = {"bytes=1000-", "bytes=500-400", "bytes=-0", "bytes=99999999999999999999-"})
    void rangesOutsideTheFile_areUnsatisfiable(String header) {
        assertThatThrownBy(() -> ByteRange.parse(header, 1000)).isInstanceOf(ByteRange.Unsatisfiable.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bytes=0-1,5-6", "items=0-5", "bytes=-", "bytes=a-b"})
    void otherForms_getTheWholeFile(String header) {
        assertThat(ByteRange.parse(header, 1000)).isNull();
    }
}
