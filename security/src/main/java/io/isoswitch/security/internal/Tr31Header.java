package io.isoswitch.security.internal;

import io.isoswitch.security.KeyBlockException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The clear header of a TR-31 (ANSI X9.143) key block.
 *
 * <pre>
 *  0     1-4     5-6    7     8     9-10     11       12-13     14-15     16..
 *  ver | length | usage | alg | mode | key ver | export | #blocks | reserved | optional blocks
 *  B/D   0096     P0      T     E      00        E        00        00         ID len data ...
 * </pre>
 *
 * Optional blocks are kept in order without the pad block ({@code PB}), which {@link #encode} adds
 * to fill the header to a whole number of cipher blocks.
 */
public record Tr31Header(
        char version,
        String usage,
        char algorithm,
        char modeOfUse,
        String keyVersion,
        char exportability,
        Map<String, String> optionalBlocks) {

    static final int FIXED_LENGTH = 16;

    public Tr31Header {
        if (version != 'B' && version != 'D') {
            throw new KeyBlockException("TR-31 version '" + version + "' is not supported (B or D)");
        }
        if (usage == null || usage.length() != 2) {
            throw new KeyBlockException("TR-31 key usage must be 2 characters, found " + usage);
        }
        if (keyVersion == null || keyVersion.length() != 2) {
            throw new KeyBlockException("TR-31 key version must be 2 characters, found " + keyVersion);
        }
        optionalBlocks = Collections.unmodifiableMap(new LinkedHashMap<>(optionalBlocks));
    }

    /** Cipher block size of this version: 8 for B (TDES), 16 for D (AES). */
    int blockSize() {
        return version == 'B' ? 8 : 16;
    }

    /** The header text with the total length of the key block filled in. */
    String encode(int payloadAndMacChars) {
        StringBuilder blocks = new StringBuilder();
        int count = 0;
        for (Map.Entry<String, String> block : optionalBlocks.entrySet()) {
            appendBlock(blocks, block.getKey(), block.getValue());
            count++;
        }
        int unpadded = FIXED_LENGTH + blocks.length();
        if (count > 0 && unpadded % blockSize() != 0) {
            int padData = (blockSize() - (unpadded + 4) % blockSize()) % blockSize();
            appendBlock(blocks, "PB", "0".repeat(padData));
            count++;
        }
        int total = FIXED_LENGTH + blocks.length() + payloadAndMacChars;
        if (total > 9999) {
            throw new KeyBlockException("TR-31 key block length " + total + " exceeds 9999");
        }
        return "" + version + String.format("%04d", total) + usage + algorithm + modeOfUse + keyVersion
                + exportability + String.format("%02d", count) + "00" + blocks;
    }

    private static void appendBlock(StringBuilder out, String id, String data) {
        int length = 4 + data.length();
        if (id.length() != 2 || length > 255) {
            throw new KeyBlockException("TR-31 optional block " + id + " is malformed or too long");
        }
        out.append(id).append(String.format("%02X", length)).append(data);
    }

    /** Parses the header at the start of {@code block}; returns it with its length in characters. */
    static Parsed parse(String block) {
        if (block.length() < FIXED_LENGTH) {
            throw new KeyBlockException("TR-31 key block is " + block.length() + " characters, shorter than a header");
        }
        int count = digits(block, 12, 2, "number of optional blocks");
        Map<String, String> blocks = new LinkedHashMap<>();
        int offset = FIXED_LENGTH;
        for (int i = 0; i < count; i++) {
            if (offset + 4 > block.length()) {
                throw new KeyBlockException("TR-31 optional block " + (i + 1) + " is truncated at offset " + offset);
            }
            String id = block.substring(offset, offset + 2);
            int length;
            try {
                length = Integer.parseInt(block.substring(offset + 2, offset + 4), 16);
            } catch (NumberFormatException e) {
                throw new KeyBlockException("TR-31 optional block " + id + " length at offset " + (offset + 2) + " is not hex");
            }
            if (length < 4 || offset + length > block.length()) {
                throw new KeyBlockException("TR-31 optional block " + id + " length " + length + " at offset " + offset + " is invalid");
            }
            if (!id.equals("PB")) {
                blocks.put(id, block.substring(offset + 4, offset + length));
            }
            offset += length;
        }
        Tr31Header header = new Tr31Header(block.charAt(0), block.substring(5, 7), block.charAt(7),
                block.charAt(8), block.substring(9, 11), block.charAt(11), blocks);
        return new Parsed(header, offset, digits(block, 1, 4, "key block length"));
    }

    private static int digits(String text, int offset, int length, String what) {
        String value = text.substring(offset, offset + length);
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                throw new KeyBlockException("TR-31 " + what + " at offset " + offset + " is not decimal");
            }
        }
        return Integer.parseInt(value);
    }

    /** A header with the character count it occupies and the length the block declares. */
    record Parsed(Tr31Header header, int length, int declaredBlockLength) {}
}
