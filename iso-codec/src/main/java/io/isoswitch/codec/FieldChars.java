package io.isoswitch.codec;

import io.isoswitch.codec.spec.FieldSpec;
import io.netty.buffer.ByteBuf;

/**
 * A field's character form read in place from the frame: no bytes are copied, each
 * {@link #charAt(int)} decodes one character. Valid only while the frame it reads is alive and
 * unchanged (the view's ownership rule); {@link #toString()} makes the one copy.
 */
final class FieldChars implements CharSequence {
    private final FieldSpec spec;
    private final ByteBuf buf;
    private final int index;
    private final int units;
    private final int from;
    private final int to;

    FieldChars(FieldSpec spec, ByteBuf buf, int index, int units, int from, int to) {
        this.spec = spec;
        this.buf = buf;
        this.index = index;
        this.units = units;
        this.from = from;
        this.to = to;
    }

    @Override
    public int length() {
        return to - from;
    }

    @Override
    public char charAt(int i) {
        if (i < 0 || i >= to - from) {
            throw new IndexOutOfBoundsException("index " + i + " outside 0.." + (to - from));
        }
        return FieldDecoder.charAt(spec, buf, index, units, from + i);
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        if (start < 0 || end > to - from || start > end) {
            throw new IndexOutOfBoundsException("range " + start + ".." + end + " outside 0.." + (to - from));
        }
        return new FieldChars(spec, buf, index, units, from + start, from + end);
    }

    @Override
    public String toString() {
        char[] chars = new char[to - from];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = FieldDecoder.charAt(spec, buf, index, units, from + i);
        }
        return new String(chars);
    }
}
