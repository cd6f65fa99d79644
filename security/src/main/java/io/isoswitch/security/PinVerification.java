package io.isoswitch.security;

import io.isoswitch.security.internal.Bytes;
import io.isoswitch.security.internal.Digits;
import io.isoswitch.security.internal.Ibm3624;
import io.isoswitch.security.internal.LoadedKey;
import io.isoswitch.security.internal.PinBlocks;
import io.isoswitch.security.internal.VisaPvv;
import java.security.MessageDigest;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issuer-side PIN verification: the PIN is deciphered from its block, checked against an IBM 3624
 * offset or a Visa PVV under the PVK, compared in constant time, and wiped.
 */
final class PinVerification {
    private static final Logger LOG = LoggerFactory.getLogger(PinVerification.class);
    private static final Set<KeyKind> PVK_KEYS = EnumSet.of(KeyKind.PVK);
    private final KeyVault vault;

    PinVerification(KeyVault vault) {
        this.vault = vault;
    }

    String ibm3624Offset(SecureKey pinKey, byte[] pinBlock, PinBlockFormat format, String pan, SecureKey pvk,
                                String decimalisationTable, String validationData, int offsetLength) {
        byte[] pin = clearPin(pinKey, pinBlock, format, pan, "ibm3624Offset");
        LoadedKey verification = vault.load(pvk, "ibm3624Offset", "pvk", PVK_KEYS);
        byte[] offset = Ibm3624.offset(verification.encryptor(), pin, validationData, decimalisationTable, offsetLength);
        Bytes.wipe(pin);
        return Digits.toText(offset);
    }

    boolean verifyIbm3624(SecureKey pinKey, byte[] pinBlock, PinBlockFormat format, String pan, SecureKey pvk,
                                    String decimalisationTable, String validationData, String offset) {
        byte[] expected = Digits.parse(offset, "offset", 4, 12);
        byte[] pin = clearPin(pinKey, pinBlock, format, pan, "verifyPinIbm3624");
        LoadedKey verification = vault.load(pvk, "verifyPinIbm3624", "pvk", PVK_KEYS);
        try {
            if (expected.length > pin.length) {
                return false;
            }
            byte[] actual = Ibm3624.offset(verification.encryptor(), pin, validationData, decimalisationTable, expected.length);
            return MessageDigest.isEqual(actual, expected);
        } finally {
            Bytes.wipe(pin);
        }
    }

    String visaPvv(SecureKey pinKey, byte[] pinBlock, PinBlockFormat format, String pan, SecureKey pvk, int pvki) {
        byte[] pin = clearPin(pinKey, pinBlock, format, pan, "visaPvv");
        LoadedKey verification = vault.load(pvk, "visaPvv", "pvk", PVK_KEYS);
        try {
            return Digits.toText(VisaPvv.pvv(verification.encryptor(), pan, pvki, pin));
        } finally {
            Bytes.wipe(pin);
        }
    }

    boolean verifyVisaPvv(SecureKey pinKey, byte[] pinBlock, PinBlockFormat format, String pan, SecureKey pvk,
                                    int pvki, String pvv) {
        byte[] expected = Digits.parse(pvv, "pvv", 4, 4);
        byte[] pin = clearPin(pinKey, pinBlock, format, pan, "verifyPinVisaPvv");
        LoadedKey verification = vault.load(pvk, "verifyPinVisaPvv", "pvk", PVK_KEYS);
        try {
            return MessageDigest.isEqual(VisaPvv.pvv(verification.encryptor(), pan, pvki, pin), expected);
        } finally {
            Bytes.wipe(pin);
        }
    }

    private byte[] clearPin(SecureKey pinKey, byte[] pinBlock, PinBlockFormat format, String pan, String operation) {
        LoadedKey key = vault.load(pinKey, operation, "pinKey", SoftwareHsm.PIN_KEYS);
        SoftwareHsm.checkFormat(operation, key, format);
        LOG.trace("{} {} {}", operation, pinKey, format);
        return PinBlocks.decipher(format, key.decryptor(), Objects.requireNonNull(pinBlock, "pinBlock"), pan);
    }
}
