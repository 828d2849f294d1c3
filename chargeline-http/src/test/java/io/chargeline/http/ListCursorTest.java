package io.chargeline.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chargeline.core.InvalidRequestException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ListCursorTest {
    @Test
    void decode_ofAnIssuedCursor_isTheKeyItWasIssuedFor() {
        String token = ListCursor.DEVICES.encode("CH-1");

        assertThat(token).matches("[A-Za-z0-9_-]+");
        assertThat(ListCursor.DEVICES.decode(token)).isEqualTo("CH-1");
        assertThat(ListCursor.DEVICES.decode(null)).isNull();
        assertThat(ListCursor.DEVICES.encode(null)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"garbage", "AAAA", "", "CH-1", "Y2hhcmdlcnM6Q0gtMQ", "ZGV2aWNlczouLi8uLi9ldGM", "ZGV2aWNlczpDSC0x=="})
    void decode_ofAnythingElse_isRefused(String token) {
        // raw keys, base64 of another list's cursor (chargers:CH-1), of a bad key (devices:../../etc), padded forms
        assertThatThrownBy(() -> ListCursor.DEVICES.decode(token)).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("cursor is not one this server issued");
    }

    @Test
    void notPaged_refusesEveryCursor() {
        assertThatThrownBy(() -> ListCursor.NOT_PAGED.decode(ListCursor.DEVICES.encode("CH-1")))
                .isInstanceOf(InvalidRequestException.class);
        assertThat(ListCursor.NOT_PAGED.decode(null)).isNull();
    }
}
