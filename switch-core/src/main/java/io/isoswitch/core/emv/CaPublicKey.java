package io.isoswitch.core.emv;

import io.isoswitch.codec.cup.EmvDownloadField;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An IC CA public key as terminals load it for offline data authentication (EMV Book 2 11.2),
 * written in the EMV parameters file as hex. Checked when built: lengths, the expiry a real date,
 * and the checksum SHA-1(RID | index | modulus | exponent), which terminals check too, so a key
 * copied with one wrong digit is refused at start instead of loaded by every terminal and failing
 * every offline authentication.
 *
 * @param rid                9F06, the registered application provider id, 5 bytes
 * @param index              9F22, the CA public key index, 1 byte
 * @param expiry             DF05, YYYYMMDD, sent as 8 ASCII characters
 * @param hashAlgorithm      DF06, {@code 01} (SHA-1; the only one EMV defines); default 01
 * @param signatureAlgorithm DF07, {@code 01} (RSA); default 01
 * @param modulus            DF02, up to 248 bytes
 * @param exponent           DF04, {@code 03} or {@code 010001}
 * @param checksum           DF03, 20 bytes
 */
public record CaPublicKey(String rid, String index, String expiry, String hashAlgorithm, String signatureAlgorithm,
                          String modulus, String exponent, String checksum) {
    private static final DateTimeFormatter YYYYMMDD = DateTimeFormatter.ofPattern("uuuuMMdd").withResolverStyle(ResolverStyle.STRICT);
    private static final int MAX_MODULUS_BYTES = 248;
    private static final int MIN_MODULUS_BYTES = 64;
    private static final int SHA1_BYTES = 20;
    static final String SHA1 = "01";

    public CaPublicKey {
        rid = Hex.format(Hex.parse("rid", rid, 5, 5));
        index = Hex.format(Hex.parse("index", index, 1, 1));
        String where = "key " + rid + "/" + index + ": ";
        hashAlgorithm = Hex.format(Hex.parse(where + "hashAlgorithm", hashAlgorithm == null ? SHA1 : hashAlgorithm, 1, 1));
        signatureAlgorithm = Hex.format(Hex.parse(where + "signatureAlgorithm", signatureAlgorithm == null ? "01" : signatureAlgorithm, 1, 1));
        if (!SHA1.equals(hashAlgorithm)) {
            throw new IllegalArgumentException(where + "hashAlgorithm: expected 01 (SHA-1), found " + hashAlgorithm);
        }
        try {
            LocalDate.parse(expiry == null ? "" : expiry.strip(), YYYYMMDD);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(where + "expiry: expected a date YYYYMMDD, found '" + expiry + "'");
        }
        expiry = expiry.strip();
        byte[] mod = Hex.parse(where + "modulus", modulus, MIN_MODULUS_BYTES, MAX_MODULUS_BYTES);
        byte[] exp = Hex.parse(where + "exponent", exponent, 1, 3);
        if (!Arrays.equals(exp, new byte[] {3}) && !Arrays.equals(exp, new byte[] {1, 0, 1})) {
            throw new IllegalArgumentException(where + "exponent: expected 03 or 010001, found " + Hex.format(exp));
        }
        byte[] sum = Hex.parse(where + "checksum", checksum, SHA1_BYTES, SHA1_BYTES);
        byte[] computed = sha1(Hex.parse("rid", rid, 5, 5), Hex.parse("index", index, 1, 1), mod, exp);
        if (!MessageDigest.isEqual(sum, computed)) {
            throw new IllegalArgumentException(where + "checksum: " + Hex.format(sum)
                    + " is not SHA-1(rid | index | modulus | exponent) = " + Hex.format(computed) + " (a digit copied wrong?)");
        }
        modulus = Hex.format(mod);
        exponent = Hex.format(exp);
        checksum = Hex.format(sum);
    }

    /** {@code RID/index} as hex, e.g. {@code A000000333/08}: how a download request names it. */
    public String name() {
        return rid + "/" + index;
    }

    /** The entry of a status upload answer: 9F06, 9F22, DF05. */
    byte[] statusEntry() {
        return EmvDownloadField.tlvs(name(Map.of()), Map.of(EmvDownloadField.TAG_KEY_EXPIRY, expiry.getBytes(StandardCharsets.US_ASCII)));
    }

    /** The TLVs of a download answer, in the order public hosts send them. */
    byte[] downloadTlvs() {
        Map<Integer, byte[]> tags = name(new LinkedHashMap<>());
        tags.put(EmvDownloadField.TAG_KEY_EXPIRY, expiry.getBytes(StandardCharsets.US_ASCII));
        tags.put(0xDF06, Hex.parse("hashAlgorithm", hashAlgorithm, 1, 1));
        tags.put(0xDF07, Hex.parse("signatureAlgorithm", signatureAlgorithm, 1, 1));
        tags.put(0xDF02, Hex.parse("modulus", modulus, 1, MAX_MODULUS_BYTES));
        tags.put(0xDF04, Hex.parse("exponent", exponent, 1, 3));
        tags.put(0xDF03, Hex.parse("checksum", checksum, SHA1_BYTES, SHA1_BYTES));
        return EmvDownloadField.tlvs(tags);
    }

    private Map<Integer, byte[]> name(Map<Integer, byte[]> into) {
        Map<Integer, byte[]> tags = new LinkedHashMap<>(into);
        tags.put(EmvDownloadField.TAG_RID_OR_AID, Hex.parse("rid", rid, 5, 5));
        tags.put(EmvDownloadField.TAG_KEY_INDEX, Hex.parse("index", index, 1, 1));
        return tags;
    }

    static byte[] sha1(byte[]... parts) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-1");
            for (byte[] part : parts) {
                digest.update(part);
            }
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }
}
