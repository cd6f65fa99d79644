package io.isoswitch.security;

/**
 * ISO 9564-1 PIN block formats.
 *
 * <pre>
 * ISO 0  8 bytes  [0 L P P P P F F F F F F F F F F] XOR [0 0 0 0 12 rightmost PAN digits w/o check digit]
 * ISO 1  8 bytes  [1 L P P P P R R R R R R R R R R]          R = random fill, no PAN
 * ISO 3  8 bytes  [3 L P P P P X X X X X X X X X X] XOR PAN   X = random fill A-F
 * ISO 4 16 bytes  AES(K, AES(K, [4 L P..P A..A | 8 random bytes]) XOR [PAN length-12 | PAN | 0 pad])
 * </pre>
 * L is the PIN length (4 to 12); P the PIN digits.
 */
public enum PinBlockFormat {
    ISO_0(8),
    ISO_1(8),
    ISO_3(8),
    ISO_4(16);

    private final int blockLength;

    PinBlockFormat(int blockLength) {
        this.blockLength = blockLength;
    }

    /** Bytes in the block: 8 for the TDES formats, 16 for format 4. */
    public int blockLength() {
        return blockLength;
    }

    /** Whether the block binds the PAN (all but format 1). */
    public boolean usesPan() {
        return this != ISO_1;
    }
}
