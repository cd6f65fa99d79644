package io.isoswitch.security;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** A software HSM under a fixed test LMK, and keys formed from known clear values. */
final class TestHsm {
    static final HexFormat HEX = HexFormat.of().withUpperCase();
    static final LocalMasterKey LMK =
            LocalMasterKey.fromHex("000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F");
    static final SoftwareHsm HSM = new SoftwareHsm(LMK, new SecureRandom());

    private TestHsm() {}

    /** A key of known clear value, formed from one component. */
    static SecureKey key(KeyKind kind, KeyAlgorithm algorithm, String clearHex) {
        List<byte[]> components = new ArrayList<>();
        components.add(HEX.parseHex(clearHex));
        return HSM.formKey(kind, algorithm, components);
    }

    static SecureKey tdes(KeyKind kind, String clearHex) {
        return key(kind, clearHex.length() == 48 ? KeyAlgorithm.TDES_3KEY : KeyAlgorithm.TDES_2KEY, clearHex);
    }

    static byte[] hex(String text) {
        return HEX.parseHex(text.replace(" ", ""));
    }

    static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }
}
