package io.isoswitch.core.issuer;

import io.isoswitch.security.Hsm;
import io.isoswitch.security.KeyAlgorithm;
import io.isoswitch.security.KeyKind;
import io.isoswitch.security.LocalMasterKey;
import io.isoswitch.security.SecureKey;
import io.isoswitch.security.SoftwareHsm;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;

/**
 * Two institutions sharing a zone master key, as after a key ceremony: the switch and the issuer
 * each have their own HSM (their own LMK) and form the same ZMK from the same two clear
 * components (made-up test values).
 */
final class ZoneKeys {
    private static final String COMPONENT_1 = "0123456789ABCDEFFEDCBA9876543210";
    private static final String COMPONENT_2 = "1111111111111111222222222222222";

    final Hsm switchHsm = new SoftwareHsm(LocalMasterKey.generate(new SecureRandom()));
    final SecureKey switchZmk = formZmk(switchHsm);
    final Hsm issuerHsm = new SoftwareHsm(LocalMasterKey.generate(new SecureRandom()));
    final SecureKey issuerZmk = formZmk(issuerHsm);

    private static SecureKey formZmk(Hsm hsm) {
        HexFormat hex = HexFormat.of();
        return hsm.formKey(KeyKind.ZMK, KeyAlgorithm.TDES_2KEY,
                List.of(hex.parseHex(COMPONENT_1), hex.parseHex(COMPONENT_2 + "2")));
    }
}
