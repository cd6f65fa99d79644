package io.isoswitch.core.txn;

import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.core.txn.IccCrossCheck.Contradiction;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IccCrossCheckTest {
    private static final HexFormat HEX = HexFormat.of().withUpperCase();
    private static final String ARQC = "9F2608" + "1122334455667788" + "9F270180";

    @Test
    void chipDataNamingTheMessagesAmountAndCurrencyAgrees() {
        byte[] chip = HEX.parseHex(ARQC + "9F0206" + "000000000116" + "5F2A02" + "0156" + "9F3704" + "11223344");

        assertThat(IccCrossCheck.contradiction(chip, 116, "156")).isEmpty();
    }

    /** Regression (an outside judge): 9F02 999.99 with field 4 1.16 was approved. */
    @Test
    void anAmountAuthorisedOtherThanField4Contradicts() {
        byte[] chip = HEX.parseHex(ARQC + "9F0206" + "000000099999" + "5F2A02" + "0156");

        assertThat(IccCrossCheck.contradiction(chip, 116, "156")).contains(Contradiction.AMOUNT);
    }

    /** Regression (an outside judge): 5F2A 0840 (USD) with field 49 156 (CNY) was approved. */
    @Test
    void aTransactionCurrencyOtherThanField49Contradicts() {
        byte[] chip = HEX.parseHex(ARQC + "9F0206" + "000000000116" + "5F2A02" + "0840");

        assertThat(IccCrossCheck.contradiction(chip, 116, "156")).contains(Contradiction.CURRENCY);
    }

    @Test
    void tagsThatAreAbsentAreNotCompared() {
        assertThat(IccCrossCheck.contradiction(HEX.parseHex(ARQC), 116, "156")).isEmpty();
        assertThat(IccCrossCheck.contradiction(HEX.parseHex(ARQC + "9F0206" + "000000000116"), 116, "156")).isEmpty();
        assertThat(IccCrossCheck.contradiction(HEX.parseHex("5F2A02" + "0156"), 116, "156")).isEmpty();
    }

    @Test
    void aTagThatIsNotItsFormatCannotEqualItsField() {
        // 9F02 of 5 bytes, 9F02 with a hex letter, 5F2A of 3 bytes, 5F2A with a pad that is no 0
        assertThat(IccCrossCheck.contradiction(HEX.parseHex("9F0205" + "0000000116"), 116, "156")).contains(Contradiction.AMOUNT);
        assertThat(IccCrossCheck.contradiction(HEX.parseHex("9F0206" + "00000000011F"), 116, "156")).contains(Contradiction.AMOUNT);
        assertThat(IccCrossCheck.contradiction(HEX.parseHex("5F2A03" + "000156"), 116, "156")).contains(Contradiction.CURRENCY);
        assertThat(IccCrossCheck.contradiction(HEX.parseHex("5F2A02" + "1156"), 116, "156")).contains(Contradiction.CURRENCY);
    }

    @Test
    void aTagSentTwiceIsComparedEachTime() {
        byte[] chip = HEX.parseHex("9F0206" + "000000000116" + ARQC + "9F0206" + "000000099999");

        assertThat(IccCrossCheck.contradiction(chip, 116, "156")).contains(Contradiction.AMOUNT);
    }

    @Test
    void onlyPurchasesAndPreAuthorizationsAreCompared() {
        Set<TransactionType> compared = EnumSet.noneOf(TransactionType.class);
        for (TransactionType type : TransactionType.values()) {
            if (IccCrossCheck.compares(type)) {
                compared.add(type);
            }
        }

        assertThat(compared).containsExactlyInAnyOrder(TransactionType.PURCHASE, TransactionType.PREAUTH);
    }
}
