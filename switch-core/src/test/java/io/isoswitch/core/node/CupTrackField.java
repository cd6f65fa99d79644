package io.isoswitch.core.node;

import java.util.HexFormat;
import org.jpos.iso.BcdPrefixer;
import org.jpos.iso.ISOStringFieldPackager;
import org.jpos.iso.Interpreter;
import org.jpos.iso.NullPadder;

/**
 * A UnionPay track field for jPOS (cup-pos.md 3, format z): an LL BCD prefix counting nibbles, then
 * the nibbles packed two to a byte, the separator as {@code D}, an odd count padded with a final 0;
 * nibbles A-F pass through, as a track encrypted under the TDK (9.2) carries them. jPOS's IFB_LLNUM
 * packs only decimal digits, so the jPOS terminal of the tests uses this for fields 35 and 36.
 */
public final class CupTrackField extends ISOStringFieldPackager {
    private static final Interpreter NIBBLES = new Interpreter() {
        @Override
        public void interpret(String data, byte[] b, int offset) {
            String even = data.length() % 2 == 0 ? data : data + "0";
            byte[] packed = HexFormat.of().parseHex(even);
            System.arraycopy(packed, 0, b, offset, packed.length);
        }

        @Override
        public String uninterpret(byte[] rawData, int offset, int length) {
            return HexFormat.of().withUpperCase().formatHex(rawData, offset, offset + (length + 1) / 2).substring(0, length);
        }

        @Override
        public int getPackedLength(int nDataUnits) {
            return (nDataUnits + 1) / 2;
        }
    };

    public CupTrackField() {
        super(NullPadder.INSTANCE, NIBBLES, BcdPrefixer.LL);
    }
}
