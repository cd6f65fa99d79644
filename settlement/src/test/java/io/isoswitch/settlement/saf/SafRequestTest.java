package io.isoswitch.settlement.saf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SafRequestTest {
    private static final byte[] CHIP = {(byte) 0x95, 0x05, 0, 0, 0, (byte) 0x80, 0};

    @Test
    void comparesChipDataByContentAndNeverPrintsIt() {
        SafRequest one = new SafRequest(SafKind.REVERSAL, "bank-a", "0400", "17", 100, "978", CHIP.clone());
        SafRequest same = new SafRequest(SafKind.REVERSAL, "bank-a", "0400", "17", 100, "978", CHIP.clone());

        assertThat(one).isEqualTo(same).hasSameHashCodeAs(same);
        assertThat(one).isNotEqualTo(SafRequest.reversal("bank-a", "17", 100, "978"));
        assertThat(one.toString()).contains("icc=true").doesNotContain("95").doesNotContain("-107");
    }

    @Test
    void keepsItsOwnCopyOfTheChipData() {
        byte[] chip = CHIP.clone();
        SafRequest request = new SafRequest(SafKind.REVERSAL, "bank-a", "0400", "17", 100, "978", chip);
        chip[0] = 0;
        request.iccData()[1] = 0;

        assertThat(request.iccData()).isEqualTo(CHIP);
    }

    @Test
    void refusesEmptyOrOversizedChipData() {
        assertThatThrownBy(() -> new SafRequest(SafKind.REVERSAL, "bank-a", "0400", "17", 100, "978", new byte[0]))
                .hasMessageContaining("iccData");
        assertThatThrownBy(() -> new SafRequest(SafKind.REVERSAL, "bank-a", "0400", "17", 100, "978", new byte[1000]))
                .hasMessageContaining("iccData");
    }
}
