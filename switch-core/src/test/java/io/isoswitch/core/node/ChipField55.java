package io.isoswitch.core.node;

import java.util.HexFormat;
import java.util.Locale;

/**
 * Field 55 of a chip purchase or pre-authorization as a terminal sends it (cup-pos.md 11), with the
 * amount authorised (9F02) and transaction currency code (5F2A) the card's cryptogram covers, for
 * scenarios that make them agree with fields 4 and 49, or not.
 */
final class ChipField55 {
    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    private ChipField55() {
    }

    /** 9F26 (ARQC), 9F27, 9F02 {@code amountMinor}, 5F2A {@code currency} (three digits), 9F36, 9F37. */
    static byte[] of(long amountMinor, String currency) {
        return HEX.parseHex("9F2608" + "1122334455667788"                          // ARQC
                + "9F270180"                                                        // CID: ARQC
                + "9F0206" + String.format(Locale.ROOT, "%012d", amountMinor)       // amount, authorised
                + "5F2A02" + "0" + currency                                         // transaction currency code
                + "9F36020041"                                                      // ATC
                + "9F370411223344");                                                // unpredictable number
    }
}
