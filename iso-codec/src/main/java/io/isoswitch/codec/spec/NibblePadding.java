package io.isoswitch.codec.spec;

/**
 * Where the pad nibble goes when an odd number of digits is packed as BCD, and its value.
 * {@code "072"} packs as {@code 00 72} with {@link #LEFT} (value right-aligned, jPOS
 * {@code pad="true"}) and as {@code 07 20} with {@link #RIGHT} (value left-aligned, jPOS
 * {@code pad="false"}). Decoding ignores the pad nibble's value.
 */
public enum NibblePadding {
    LEFT(0), RIGHT(0), LEFT_F(0xF), RIGHT_F(0xF);

    private final int fill;

    NibblePadding(int fill) {
        this.fill = fill;
    }

    /** The value written into the pad nibble. */
    public int fill() {
        return fill;
    }

    /** Whether the pad nibble comes first. */
    public boolean padsLeft() {
        return this == LEFT || this == LEFT_F;
    }
}
