package io.isoswitch.security;

import java.util.HexFormat;

/**
 * A key encrypted under a key-encrypting key (TMK or ZMK) in ECB, as UnionPay sign-on replies
 * carry working keys (cup-pos.md 7.2), with the check value of the clear key (4 bytes; the usual
 * display form is the first 3).
 */
public record ExportedKey(byte[] cryptogram, byte[] checkValue) {
    public ExportedKey {
        cryptogram = cryptogram.clone();
        checkValue = checkValue.clone();
    }

    @Override
    public byte[] cryptogram() {
        return cryptogram.clone();
    }

    @Override
    public byte[] checkValue() {
        return checkValue.clone();
    }

    @Override
    public String toString() {
        return "ExportedKey[" + cryptogram.length + " bytes, kcv=" + HexFormat.of().withUpperCase().formatHex(checkValue, 0, 3) + "]";
    }
}
