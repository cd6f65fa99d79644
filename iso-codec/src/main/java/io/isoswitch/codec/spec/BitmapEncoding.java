package io.isoswitch.codec.spec;

/** How each 64-bit bitmap is written: 8 raw bytes, or 16 hex characters in ASCII. */
public enum BitmapEncoding {
    BINARY(8), HEX(16);

    private final int bytesPerBitmap;

    BitmapEncoding(int bytesPerBitmap) {
        this.bytesPerBitmap = bytesPerBitmap;
    }

    /** Wire bytes of one 64-bit bitmap. */
    public int bytesPerBitmap() {
        return bytesPerBitmap;
    }
}
