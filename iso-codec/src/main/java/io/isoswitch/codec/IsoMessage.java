package io.isoswitch.codec;

import io.isoswitch.codec.spec.FieldSpec;
import io.isoswitch.codec.spec.MessageSpec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.buffer.UnpooledHeapByteBuf;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A simple mutable message (MTI plus field number to value) for tools, simulators and tests: the
 * convenient, allocating counterpart of {@link IsoMessageView} and {@link IsoMessageWriter}, and
 * encoded and decoded through them, so it obeys the same spec. Text fields hold their character
 * form (as jPOS's {@code getString}); binary fields hold bytes.
 *
 * <p>{@link #toString()} masks card data (see {@link Masking}).
 */
public final class IsoMessage {
    private String mti;
    private final TreeMap<Integer, Object> values = new TreeMap<>();

    /** An empty message with MTI {@code mti}. */
    public IsoMessage(String mti) {
        this.mti = Objects.requireNonNull(mti, "mti");
    }

    /**
     * Per thread, the view of the spec decoded last: a view's layout tables are built from the spec
     * (several KB), which made every decode allocate them anew. {@link #from} copies everything out,
     * so the view is free again as soon as decode returns.
     */
    private static final ThreadLocal<IsoMessageView[]> LAST_VIEW = ThreadLocal.withInitial(() -> new IsoMessageView[1]);

    /** Decodes and validates {@code frame}'s readable bytes with {@code spec} (indexes unchanged, frame not released). */
    public static IsoMessage decode(MessageSpec spec, ByteBuf frame) {
        IsoMessageView[] last = LAST_VIEW.get();
        IsoMessageView view = last[0];
        if (view == null || view.spec() != spec) {
            view = new IsoMessageView(spec);
            last[0] = view;
        }
        return from(view.wrap(frame).validate());
    }

    /** Decodes a frame held in a byte array. */
    public static IsoMessage decode(MessageSpec spec, byte[] frame) {
        return decode(spec, Unpooled.wrappedBuffer(frame));
    }

    /** Copies every field of a wrapped view into a new message. */
    public static IsoMessage from(IsoMessageView view) {
        IsoMessage message = new IsoMessage(view.mtiString());
        for (int i = 0; i < view.fieldCount(); i++) {
            int field = view.fieldAt(i);
            FieldSpec spec = view.fieldSpec(field);
            message.values.put(field, spec.binary() ? view.getBytes(field) : view.getString(field));
        }
        return message;
    }

    /** The MTI. */
    public String mti() {
        return mti;
    }

    /** Replaces the MTI. */
    public IsoMessage mti(String value) {
        this.mti = Objects.requireNonNull(value, "mti");
        return this;
    }

    /** Sets a text field (or a binary field given as hex); null removes the field. */
    public IsoMessage set(int field, String value) {
        return put(field, value);
    }

    /** Sets a binary field; null removes the field. */
    public IsoMessage set(int field, byte[] value) {
        return put(field, value == null ? null : value.clone());
    }

    private IsoMessage put(int field, Object value) {
        if (field < 2 || field > MessageSpec.MAX_FIELD) {
            throw new IllegalArgumentException("field must be 2.." + MessageSpec.MAX_FIELD + ", found " + field);
        }
        if (value == null) {
            values.remove(field);
        } else {
            values.put(field, value);
        }
        return this;
    }

    /** Removes a field. */
    public IsoMessage unset(int field) {
        values.remove(field);
        return this;
    }

    /** Whether the field is set. */
    public boolean has(int field) {
        return values.containsKey(field);
    }

    /** The field numbers set, ascending. */
    public NavigableSet<Integer> fields() {
        return Collections.unmodifiableNavigableSet(values.navigableKeySet());
    }

    /** The field as text: its value, or uppercase hex for bytes; null if absent. */
    public String getString(int field) {
        Object value = values.get(field);
        return value instanceof byte[] bytes ? HexFormat.of().withUpperCase().formatHex(bytes) : (String) value;
    }

    /** The field's bytes if it was set as bytes, otherwise null. */
    public byte[] getBytes(int field) {
        return values.get(field) instanceof byte[] bytes ? bytes.clone() : null;
    }

    /**
     * Per thread, the writer of the spec encoded last: making a writer looks its spec's layout up
     * in a synchronized map, which cost about a tenth of encoding the bench message. A writer keeps
     * nothing of a message after {@code finish} (and {@code begin} resets it after a failed one).
     */
    private static final ThreadLocal<IsoMessageWriter[]> LAST_WRITER = ThreadLocal.withInitial(() -> new IsoMessageWriter[1]);

    /** Encodes into {@code out} at its writer index and returns the bytes written. */
    public int encode(MessageSpec spec, ByteBuf out) {
        IsoMessageWriter[] last = LAST_WRITER.get();
        IsoMessageWriter writer = last[0];
        if (writer == null || writer.spec() != spec) {
            writer = new IsoMessageWriter(spec);
            last[0] = writer;
        }
        boolean finished = false;
        try {
            writer.begin(out, mti);
            for (Map.Entry<Integer, Object> entry : values.entrySet()) {
                if (entry.getValue() instanceof byte[] bytes) {
                    writer.bytes(entry.getKey(), bytes);
                } else {
                    writer.field(entry.getKey(), (String) entry.getValue());
                }
            }
            int written = writer.finish();
            finished = true;
            return written;
        } finally {
            if (!finished) {
                last[0] = null; // a failed message leaves the writer holding out: let both go
            }
        }
    }

    /** Encodes into a new array. */
    public byte[] encode(MessageSpec spec) {
        // a plain heap buffer: nothing pooled, nothing for the leak detector to trace per byte
        ByteBuf out = new UnpooledHeapByteBuf(UnpooledByteBufAllocator.DEFAULT, 256, Integer.MAX_VALUE);
        try {
            encode(spec, out);
            byte[] bytes = new byte[out.readableBytes()];
            out.readBytes(bytes);
            return bytes;
        } finally {
            out.release();
        }
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof IsoMessage that) || !mti.equals(that.mti) || !values.keySet().equals(that.values.keySet())) {
            return false;
        }
        for (Map.Entry<Integer, Object> entry : values.entrySet()) {
            Object mine = entry.getValue();
            Object theirs = that.values.get(entry.getKey());
            boolean same = mine instanceof byte[] a && theirs instanceof byte[] b ? Arrays.equals(a, b) : mine.equals(theirs);
            if (!same) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int hash = mti.hashCode();
        for (Map.Entry<Integer, Object> entry : values.entrySet()) {
            Object value = entry.getValue();
            hash = 31 * hash + entry.getKey() + (value instanceof byte[] bytes ? Arrays.hashCode(bytes) : value.hashCode());
        }
        return hash;
    }

    /** A masked one-line description: card data never appears. */
    @Override
    public String toString() {
        return MessageDescriber.describe(this, true);
    }
}
