package io.chargeline.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ContentDispositionTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        "fw-2.0.0.bin | attachment; filename=\"fw-2.0.0.bin\"",
        "fw \"new\".bin | attachment; filename=\"fw \\\"new\\\".bin\"",
        "a\\b.bin | attachment; filename=\"a\\\\b.bin\"",
        "Prüfung.bin | attachment; filename=\"Pr_fung.bin\"; filename*=UTF-8''Pr%C3%BCfung.bin",
        "固件 v2.bin | attachment; filename=\"__ v2.bin\"; filename*=UTF-8''%E5%9B%BA%E4%BB%B6%20v2.bin"})
    void attachment_quotesTheAsciiName_andAddsTheUtf8NameWhenItIsNotAscii(String name, String header) {
        assertThat(ContentDisposition.attachment(name)).isEqualTo(header);
    }
}
