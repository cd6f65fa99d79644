package io.isoswitch.sim.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.isoswitch.security.ExportedKey;
import java.time.MonthDay;
import java.time.YearMonth;
import java.util.List;
import org.junit.jupiter.api.Test;

class WireFieldsTest {

    @Test
    void field90IsMtiStanDateTimeAndZeroFilledInstitutions() {
        OriginalDataElements ode = new OriginalDataElements(200, 42, "1126101500", "10000001", "0");

        assertThat(ode.format()).isEqualTo("0200" + "000042" + "1126101500" + "00010000001" + "00000000000").hasSize(42);
        assertThat(OriginalDataElements.parse(ode.format())).isEqualTo(ode);
        assertThat(ode.date()).isEqualTo(MonthDay.of(11, 26));
        assertThatThrownBy(() -> OriginalDataElements.parse("0200")).hasMessageContaining("42 digits");
    }

    @Test
    void readsTrack2WithEitherSeparatorAndFindsTheSimulatorsCvv() {
        Track2 track = Track2.of("4761739001010010", YearMonth.of(2028, 12), "201", "987");

        assertThat(track.format('=')).isEqualTo("4761739001010010=281220198700000");
        assertThat(Track2.parse(track.format('='))).isEqualTo(track);
        assertThat(Track2.parse(track.format('D'))).isEqualTo(track);
        assertThat(track.cvv()).isEqualTo("987");
        assertThat(track.toString()).doesNotContain("4761739001010010").doesNotContain("987");
        assertThatThrownBy(() -> Track2.parse("4761739001010010")).hasMessageContaining("separator");
    }

    @Test
    void workingKeysAreCryptogramsEachFollowedByFourCheckValueBytes() {
        ExportedKey pin = new ExportedKey(new byte[16], new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        ExportedKey mac = new ExportedKey(filled(16, 0x11), new byte[] {9, 9, 9, 9, 9, 9, 9, 9});

        String hex = WorkingKeys.toHex(List.of(pin, mac));
        List<ExportedKey> back = WorkingKeys.fromHex(hex, 16);

        assertThat(hex).hasSize(80).startsWith("0".repeat(32) + "01020304").endsWith("09090909");
        assertThat(back.get(1).cryptogram()).isEqualTo(filled(16, 0x11));
        assertThat(back.get(0).checkValue()).containsExactly(1, 2, 3, 4);
        assertThatThrownBy(() -> WorkingKeys.fromBytes(new byte[19], 16)).hasMessageContaining("multiple of 20");
    }

    private static byte[] filled(int length, int value) {
        byte[] bytes = new byte[length];
        java.util.Arrays.fill(bytes, (byte) value);
        return bytes;
    }
}
