package io.isoswitch.security.internal;

import io.isoswitch.security.KeyAlgorithm;
import io.isoswitch.security.KeyBlockException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.crypto.BlockCipher;
import org.bouncycastle.crypto.macs.CMac;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * TR-31 key blocks (ANSI X9.143), key derivation binding method: version B under a TDES key block
 * protection key (KBPK), version D under an AES one. Bouncy Castle has no TR-31, so the format is
 * written here from its primitives (CMAC, CBC).
 *
 * <pre>
 * key block = header | hex(encrypt(KBEK, IV = MAC, payload)) | hex(MAC)
 * payload   = key length in bits (2 bytes) | key | random pad to a whole cipher block
 * MAC       = CMAC(KBAK, header bytes | payload)      8 bytes for B, 16 for D
 * KBEK/KBAK = CMAC(KBPK, counter | usage 0000/0001 | 00 | algorithm | KBPK bits), concatenated
 * </pre>
 */
public final class Tr31 {
    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    private Tr31() {}

    /** A clear key and the header it came with. The caller wipes {@code key} after use. */
    public record Unwrapped(Tr31Header header, byte[] key) {
        @Override
        public String toString() {
            return "Unwrapped[usage=" + header.usage() + "]";
        }
    }

    /** Wraps {@code key} under {@code kbpk}; the header's version must suit the KBPK. */
    public static String wrap(KeyAlgorithm kbpkAlgorithm, byte[] kbpk, Tr31Header header, byte[] key, SecureRandom random) {
        checkVersion(kbpkAlgorithm, header.version());
        int blockSize = header.blockSize();
        int macLength = blockSize;
        int payloadLength = roundUp(2 + key.length, blockSize);
        byte[] payload = new byte[payloadLength];
        payload[0] = (byte) ((key.length * 8) >>> 8);
        payload[1] = (byte) (key.length * 8);
        System.arraycopy(key, 0, payload, 2, key.length);
        byte[] pad = new byte[payloadLength - 2 - key.length];
        random.nextBytes(pad);
        System.arraycopy(pad, 0, payload, 2 + key.length, pad.length);
        String headerText = header.encode(2 * (payloadLength + macLength));
        byte[][] keys = derive(kbpkAlgorithm, kbpk);
        try {
            byte[] mac = mac(kbpkAlgorithm, keys[1], headerText, payload);
            byte[] encrypted = Ciphers.cbcEncrypt(Ciphers.encryptor(workingAlgorithm(kbpkAlgorithm), keys[0]), mac, payload);
            return headerText + HEX.formatHex(encrypted) + HEX.formatHex(mac);
        } finally {
            Bytes.wipe(payload, keys[0], keys[1]);
        }
    }

    /** Authenticates and decrypts a key block; throws {@link KeyBlockException} if it does not verify. */
    public static Unwrapped unwrap(KeyAlgorithm kbpkAlgorithm, byte[] kbpk, String block) {
        Tr31Header.Parsed parsed = Tr31Header.parse(block);
        Tr31Header header = parsed.header();
        checkVersion(kbpkAlgorithm, header.version());
        if (parsed.declaredBlockLength() != block.length()) {
            throw new KeyBlockException("TR-31 key block declares " + parsed.declaredBlockLength()
                    + " characters but has " + block.length());
        }
        int blockSize = header.blockSize();
        int macChars = 2 * blockSize;
        int payloadChars = block.length() - parsed.length() - macChars;
        if (payloadChars <= 0 || payloadChars % (2 * blockSize) != 0) {
            throw new KeyBlockException("TR-31 encrypted key data of " + payloadChars
                    + " characters is not a whole number of " + blockSize + "-byte blocks");
        }
        byte[] encrypted;
        byte[] mac;
        try {
            encrypted = HEX.parseHex(block, parsed.length(), parsed.length() + payloadChars);
            mac = HEX.parseHex(block, block.length() - macChars, block.length());
        } catch (IllegalArgumentException e) {
            throw new KeyBlockException("TR-31 encrypted key data or MAC is not hex");
        }
        byte[][] keys = derive(kbpkAlgorithm, kbpk);
        byte[] payload = Ciphers.cbcDecrypt(Ciphers.decryptor(workingAlgorithm(kbpkAlgorithm), keys[0]), mac, encrypted);
        try {
            byte[] expected = mac(kbpkAlgorithm, keys[1], block.substring(0, parsed.length()), payload);
            if (!Bytes.constantTimePrefixEquals(expected, mac, mac.length)) {
                throw new KeyBlockException("TR-31 key block MAC does not verify (wrong key block protection key or altered block)");
            }
            int bits = ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
            if (bits == 0 || bits % 8 != 0 || 2 + bits / 8 > payload.length) {
                throw new KeyBlockException("TR-31 key length of " + bits + " bits does not fit the key data");
            }
            return new Unwrapped(header, Arrays.copyOfRange(payload, 2, 2 + bits / 8));
        } finally {
            Bytes.wipe(payload, keys[0], keys[1]);
        }
    }

    /** Version letter for a key block protected by a key of this algorithm. */
    public static char versionFor(KeyAlgorithm kbpkAlgorithm) {
        if (kbpkAlgorithm.isTdes()) {
            return 'B';
        }
        if (kbpkAlgorithm.isAes()) {
            return 'D';
        }
        throw new KeyBlockException("TR-31 has no key block version for a " + kbpkAlgorithm + " protection key");
    }

    private static void checkVersion(KeyAlgorithm kbpkAlgorithm, char version) {
        if (versionFor(kbpkAlgorithm) != version) {
            throw new KeyBlockException("TR-31 version " + version + " cannot be used with a "
                    + kbpkAlgorithm + " key block protection key");
        }
    }

    /** TDES-derived KBEK/KBAK are the same length as the KBPK; AES likewise. */
    private static KeyAlgorithm workingAlgorithm(KeyAlgorithm kbpkAlgorithm) {
        return kbpkAlgorithm;
    }

    /** Returns {KBEK, KBAK}. */
    private static byte[][] derive(KeyAlgorithm algorithm, byte[] kbpk) {
        int algorithmId = switch (algorithm) {
            case TDES_2KEY -> 0x0000;
            case TDES_3KEY -> 0x0001;
            case AES_128 -> 0x0002;
            case AES_192 -> 0x0003;
            case AES_256 -> 0x0004;
            case SM4 -> throw new KeyBlockException("TR-31 has no SM4 key block protection");
        };
        int bits = algorithm.keyLength() * 8;
        CMac cmac = new CMac(Ciphers.engine(algorithm));
        cmac.init(new KeyParameter(kbpk));
        byte[][] out = new byte[2][];
        for (int usage = 0; usage < 2; usage++) {
            byte[] derived = new byte[roundUp(algorithm.keyLength(), algorithm.blockSize())];
            for (int counter = 1; (counter - 1) * algorithm.blockSize() < algorithm.keyLength(); counter++) {
                byte[] data = {(byte) counter, 0, (byte) usage, 0,
                        (byte) (algorithmId >>> 8), (byte) algorithmId, (byte) (bits >>> 8), (byte) bits};
                cmac.update(data, 0, data.length);
                cmac.doFinal(derived, (counter - 1) * algorithm.blockSize());
            }
            out[usage] = Arrays.copyOf(derived, algorithm.keyLength());
            Bytes.wipe(derived);
        }
        return out;
    }

    private static byte[] mac(KeyAlgorithm algorithm, byte[] kbak, String header, byte[] payload) {
        BlockCipher engine = Ciphers.engine(algorithm);
        CMac cmac = new CMac(engine);
        cmac.init(new KeyParameter(kbak));
        byte[] headerBytes = header.getBytes(StandardCharsets.US_ASCII);
        cmac.update(headerBytes, 0, headerBytes.length);
        cmac.update(payload, 0, payload.length);
        byte[] mac = new byte[cmac.getMacSize()];
        cmac.doFinal(mac, 0);
        return mac;
    }

    private static int roundUp(int length, int blockSize) {
        return (length + blockSize - 1) / blockSize * blockSize;
    }
}
