package io.isoswitch.codec.cup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.isoswitch.codec.tlv.TlvException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParameterDownloadFieldTest {
    @Test
    void writesEachCodeWithItsFixedWidthSpacePadded() {
        byte[] field = ParameterDownloadField.build("1", "Corner Shop", "");
        assertThat(field).hasSize(2 + 32 + 2 + 40 + 2 + 120);
        String text = new String(field, StandardCharsets.US_ASCII);
        assertThat(text).startsWith("111" + " ".repeat(31) + "12Corner Shop ");
        assertThat(text.substring(76)).isEqualTo("13" + " ".repeat(120));
    }

    @Test
    void readIsTheInverseOfBuildForChineseNames() {
        Map<String, String> read = ParameterDownloadField.read(ParameterDownloadField.build("1010", "上海银联测试商户", "欢迎光临"));
        assertThat(read).containsEntry("11", "1010").containsEntry("12", "上海银联测试商户").containsEntry("13", "欢迎光临");
    }

    @Test
    void cutsALongNameAtACharacterBoundary() {
        // 21 two-byte GBK characters are 42 bytes: 20 fit in 40, the 21st is not split in half
        String name = "商".repeat(21);
        assertThat(ParameterDownloadField.read(ParameterDownloadField.build("", name, "")).get("12")).isEqualTo("商".repeat(20));
    }

    @Test
    void rejectsASupportedTransactionsBitmapOfOtherCharacters() {
        assertThatThrownBy(() -> ParameterDownloadField.build("12", "x", "")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("supportedTransactions");
    }

    @Test
    void readRejectsUnknownCodesAndShortValues() {
        assertThatThrownBy(() -> ParameterDownloadField.read("99abc".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(TlvException.class);
        assertThatThrownBy(() -> ParameterDownloadField.read("12abc".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(TlvException.class).hasMessageContaining("40 bytes");
    }
}
