package io.chargeline.core.artifact;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chargeline.core.InvalidRequestException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ArtifactNameTest {
    @ParameterizedTest
    @ValueSource(strings = {"fw-2.0.0.bin", "...", ".hidden", "Firmware v2 (final).bin", "fw\"quoted\".bin",
        "Prüfung-ü.bin", "固件.bin"})
    void fileName_plainInAnyScript_isAccepted(String name) {
        assertThatCode(() -> ArtifactService.requireFileName(name)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "../etc/passwd", "a/b", "a\\b", "fw\u0000.bin", "fw\n.bin", "fw\u007f.bin",
        "fw\u202egnp.exe", " fw.bin", "fw.bin ", "fw\u2028.bin", "fw\ufffd.bin"})
    void fileName_thatIsNotAPlainFileName_isRefused(String name) {
        assertThatThrownBy(() -> ArtifactService.requireFileName(name)).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("name");
    }

    @Test
    void fileName_isLimitedTo128Characters_notBytes() {
        assertThatCode(() -> ArtifactService.requireFileName("ü".repeat(128))).doesNotThrowAnyException();
        assertThatThrownBy(() -> ArtifactService.requireFileName("ü".repeat(129))).hasMessageContaining("at most 128");
    }
}
