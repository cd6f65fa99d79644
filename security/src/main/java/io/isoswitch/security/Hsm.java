package io.isoswitch.security;

import java.util.List;

/**
 * The security module the switch talks to. Keys are {@link SecureKey} handles; PINs travel only as
 * encrypted PIN blocks; nothing returned carries a clear key or a clear PIN (the one exception is
 * {@link #decryptPan}, for settlement).
 *
 * <p>The software implementation is {@link SoftwareHsm}; a networked hardware HSM implements the
 * same interface, taking the same key blocks, so the switch does not change. Every method checks
 * the kind of each key and throws {@link KeyUsageException} for a key of the wrong kind; PIN
 * blocks that do not decipher throw {@link PinBlockException}; verification methods answer
 * {@code false} on a mismatch.
 */
public interface Hsm {

    // ---- keys

    /** A new random key of {@code kind}, under the LMK. */
    SecureKey generateKey(KeyKind kind, KeyAlgorithm algorithm);

    /**
     * A new random single-length (DES) key of {@code kind}, held as a {@link KeyAlgorithm#TDES_2KEY}
     * key whose two halves are equal, which 3DES computes as single DES: for terminals that take
     * single-length working keys (UnionPay sign-on NMIC 001, cup-pos.md 7.2). Its {@link #exportKey}
     * cryptogram is the 8-byte single-length cryptogram twice; its check value is single DES's.
     */
    SecureKey generateSingleLengthKey(KeyKind kind);

    /**
     * Whether {@code key} is single-length in effect: a double-length TDES key whose two halves are
     * equal ({@link #generateSingleLengthKey}, or one formed so), which every TDES operation computes
     * as single DES. Says nothing of the key but that.
     */
    boolean singleLength(SecureKey key);

    /** A key formed by XOR of clear components (the key ceremony); the components are wiped. */
    SecureKey formKey(KeyKind kind, KeyAlgorithm algorithm, List<byte[]> clearComponents);

    /** A handle for a stored key block, after verifying it under the LMK. */
    SecureKey loadKey(String keyBlock);

    /** {@code key} encrypted in ECB under a TMK or ZMK, with its check value (sign-on replies). */
    ExportedKey exportKey(SecureKey key, SecureKey kek);

    /** {@code key} as a TR-31 key block under a TMK or ZMK (version B for TDES, D for AES). */
    String exportKeyBlock(SecureKey key, SecureKey kek);

    /**
     * A key received encrypted in ECB under a ZMK (or a TMK, at a terminal); when
     * {@code expectedCheckValue} is not null it must match the leftmost bytes of the key's check
     * value, else {@link HsmException}.
     */
    SecureKey importKey(KeyKind kind, KeyAlgorithm algorithm, byte[] cryptogram, SecureKey kek, byte[] expectedCheckValue);

    /** A key received as a TR-31 key block under a ZMK; its usage gives the zone kind. */
    SecureKey importKeyBlock(String keyBlock, SecureKey kek);

    // ---- PIN

    /** A PIN block of {@code format} under a TPK or ZPK, from a clear PIN (terminals and tests). */
    byte[] encryptPin(SecureKey pinKey, CharSequence pin, String pan, PinBlockFormat format);

    /** A PIN block under a DUKPT PIN key derived from {@code bdk} and {@code ksn} (terminals). */
    byte[] encryptPinDukpt(SecureKey bdk, Ksn ksn, CharSequence pin, String pan, PinBlockFormat format);

    /** Re-encrypts a PIN block from one PIN key to another, changing format if asked. */
    byte[] translatePin(SecureKey source, byte[] pinBlock, PinBlockFormat sourceFormat, String pan,
                        SecureKey destination, PinBlockFormat destinationFormat);

    /**
     * As {@link #translatePin}, the block bound to {@code sourcePan} as it comes and to {@code
     * destinationPan} as it goes: a block formed without the PAN (UnionPay field 53.1 = 1, ANSI X9.8
     * without PAN: format 0 over a PAN of zeros) re-formed with the card's PAN for the issuer.
     */
    byte[] translatePin(SecureKey source, byte[] pinBlock, PinBlockFormat sourceFormat, String sourcePan,
                        SecureKey destination, PinBlockFormat destinationFormat, String destinationPan);

    /** As {@link #translatePin}, the source key being the DUKPT PIN key of {@code bdk} and {@code ksn}. */
    byte[] translatePinFromDukpt(SecureKey bdk, Ksn ksn, byte[] pinBlock, PinBlockFormat sourceFormat, String pan,
                                 SecureKey destination, PinBlockFormat destinationFormat);

    /** The IBM 3624 offset of the PIN in a block (issuer account set-up). */
    String ibm3624Offset(SecureKey pinKey, byte[] pinBlock, PinBlockFormat format, String pan, SecureKey pvk,
                         String decimalisationTable, String validationData, int offsetLength);

    /** Whether the PIN in a block matches an IBM 3624 offset. */
    boolean verifyPinIbm3624(SecureKey pinKey, byte[] pinBlock, PinBlockFormat format, String pan, SecureKey pvk,
                             String decimalisationTable, String validationData, String offset);

    /** The Visa PVV of the PIN in a block (issuer account set-up). */
    String visaPvv(SecureKey pinKey, byte[] pinBlock, PinBlockFormat format, String pan, SecureKey pvk, int pvki);

    /** Whether the PIN in a block matches a Visa PVV. */
    boolean verifyPinVisaPvv(SecureKey pinKey, byte[] pinBlock, PinBlockFormat format, String pan, SecureKey pvk,
                             int pvki, String pvv);

    // ---- MAC

    /** The full MAC of {@code data[offset, offset + length)} under a TAK or ZAK. */
    byte[] generateMac(SecureKey macKey, MacAlgorithm algorithm, byte[] data, int offset, int length);

    /** Whether {@code mac} (the full MAC or its leftmost 4 bytes or more) matches; constant time. */
    boolean verifyMac(SecureKey macKey, MacAlgorithm algorithm, byte[] data, int offset, int length, byte[] mac);

    /** A MAC under the DUKPT MAC key of {@code usage} (request or response). */
    byte[] generateMacDukpt(SecureKey bdk, Ksn ksn, DukptKeyUsage usage, MacAlgorithm algorithm, byte[] data);

    boolean verifyMacDukpt(SecureKey bdk, Ksn ksn, DukptKeyUsage usage, MacAlgorithm algorithm, byte[] data, byte[] mac);

    // ---- data

    /** CBC with a zero IV under the DUKPT data key of {@code usage}; whole blocks. */
    byte[] encryptDataDukpt(SecureKey bdk, Ksn ksn, DukptKeyUsage usage, byte[] data);

    byte[] decryptDataDukpt(SecureKey bdk, Ksn ksn, DukptKeyUsage usage, byte[] data);

    /** ECB under a TDK over whole blocks (UnionPay track encryption, cup-pos.md 9.2). */
    byte[] encryptData(SecureKey tdk, byte[] data);

    byte[] decryptData(SecureKey tdk, byte[] data);

    // ---- cards

    /** CVV/CVC of a card (CVV2: service code {@code 000}; iCVV: {@code 999}) under a CVK pair. */
    String generateCvv(SecureKey cvk, String pan, String expiryYymm, String serviceCode);

    boolean verifyCvv(SecureKey cvk, String pan, String expiryYymm, String serviceCode, String cvv);

    // ---- PAN protection

    /** HMAC-SHA256 of the PAN digits under the HMAC key, as 64 hex digits: a lookup token. */
    String panToken(SecureKey hmacKey, String pan);

    /** {@link #panToken} as its 32 bytes, for a caller that stores bytes (no hex round trip). */
    default byte[] panTokenBytes(SecureKey hmacKey, String pan) {
        return java.util.HexFormat.of().parseHex(panToken(hmacKey, pan));
    }

    /** AES-GCM encryption of the PAN under the data key: 12-byte nonce, ciphertext, 16-byte tag. */
    byte[] encryptPan(SecureKey dataKey, String pan);

    /** The PAN back from {@link #encryptPan}; fails if the ciphertext was altered. */
    String decryptPan(SecureKey dataKey, byte[] encrypted);
}
