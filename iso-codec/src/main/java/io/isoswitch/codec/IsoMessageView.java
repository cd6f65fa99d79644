package io.isoswitch.codec;

import io.isoswitch.codec.ShapeCache.Shape;
import io.isoswitch.codec.spec.ContentEncoding;
import io.isoswitch.codec.spec.Cp1047;
import io.isoswitch.codec.spec.FieldSpec;
import io.isoswitch.codec.spec.MessageSpec;
import io.netty.buffer.ByteBuf;

/**
 * A decoded ISO 8583 message as a flyweight over its frame (the SBE/Agrona pattern).
 * {@link #wrap(ByteBuf)} makes one forward pass over the MTI, the bitmaps and every field,
 * recording where each field's prefix and content lie in primitive arrays; it allocates nothing
 * and a view is reused for message after message. Every read after that is O(1) on the frame and
 * lazy: {@link #slice(int)} is a zero-copy slice, {@link #getLong(int)} parses in place,
 * {@link #chars(int)} decodes characters on demand, {@link #getString(int)} makes one copy, and
 * {@link #copyRawTo(int, ByteBuf)} echoes a field's exact wire bytes (prefix included).
 *
 * <p><b>Shapes.</b> A view keeps the layout of the last few bitmaps it saw twice (traffic on a
 * connection has few message shapes): a heap frame whose bitmaps match one adds each run of fixed
 * fields whole and reads only the variable fields' length prefixes, with the same checks and errors.
 *
 * <pre>
 * frame: [MTI][bitmap 1][bitmap 2]?[field][field]...   (no length header, no TPDU/header)
 *                                  ^rawStart  ^contentStart      ^end
 * </pre>
 *
 * <p><b>Ownership.</b> The view neither retains nor releases the frame: the caller keeps the frame
 * alive and unchanged for as long as it reads the view (or anything the view returned, such as a
 * slice or a {@link CharSequence}), then releases the frame itself. Re-wrapping forgets the old
 * frame. A view is not thread-safe; use one per event loop or channel.
 *
 * <p><b>Validation.</b> {@code wrap} checks structure: MTI digits, bitmaps, every length prefix
 * and every bound, so that every later read is safe. {@link #validate()} checks content (digits
 * of numeric fields, amount signs); numeric reads such as {@link #getLong(int)} check the digits
 * they parse either way.
 *
 * <p><b>Errors.</b> A frame that does not match the spec makes {@code wrap} throw
 * {@link IsoCodecException} naming the field, offset (from the frame's reader index), what was
 * expected and what was found; if the MTI and field 11 had been read they travel with it. Every
 * read is checked against the frame's writer index first, so a short or lying frame never causes
 * an {@code IndexOutOfBoundsException}. After a failed wrap the view holds no fields.
 *
 * <p>{@link #toString()} lists field numbers only, never content.
 */
public final class IsoMessageView {
    private static final int SLOTS = MessageSpec.MAX_FIELD + 1;
    private static final int STAN = 11;

    // The frame's index: written by WrapPass (the wrap's forward pass) and ShapeCache, read by the
    // accessors below. Package-private so that the pass reads and writes them directly, as it did
    // when it was this class's private methods; not API.
    final MessageSpec spec;
    final FieldSpec[] specs;
    // per field, where its wire bytes (prefix included) start; meaningful only for fields in
    // fieldBits. A fixed field's content start, units and end follow from the plan, so the pass
    // writes one int for it; a variable field also writes the units its prefix states.
    final int[] found = new int[SLOTS];
    final int[] stated = new int[SLOTS];
    // the present fields in ascending order, listed on demand (fieldAt, validate) from fieldBits
    private final int[] present = new int[SLOTS];
    private boolean presentListed;
    // which fields the last wrap parsed, as bitmaps (bit 1 of bitmap 1 = field 1): so that
    // re-wrapping needs no per-field reset of found
    final long[] fieldBits = new long[3];
    // the spec flattened into primitives for the hot pass (see FieldLayout)
    final int[] plan;
    final int[] groupWire;
    final int[] groupSlow;
    // the bitmap bytes (groups of 8 fields) whose fields were all fixed, added up with one lookup
    // each (a heap frame): their fields' starts are not in found but computed from groupStart
    // when asked (see rawAt); a bit per group, group g = fields 8g+1..8g+8
    long fastGroups;
    final int[] groupStart = new int[FieldLayout.GROUPS];
    private final int[] check;
    final int[] prefixDigits;
    private final boolean[] padsLeft;
    private final int[] fixedBcdRead;
    byte[] array;
    int arrayOffset;
    final long[] bitmaps = new long[3];
    int count;
    // the field whose check failed in the last pass (0: the MTI or a bitmap); the fields before it were parsed
    int failedField;
    ByteBuf buf;
    int base;
    int limit;
    boolean mtiRead;
    // the MTI's four digits as nibbles (0x0200 for "0200"), kept while wrap checks them (the bytes
    // are in a register then); mti() makes the number
    int mtiDigits;
    // the layout cache (see ShapeCache): the shape the last wrap used, and where each segment of
    // that wrap starts (segment 0 after the bitmaps, segment i+1 after the shape's i-th variable
    // field). In a planned wrap a field's start is its segment's start plus a relative offset the
    // shape holds, and found and groupStart are not written.
    final ShapeCache shapes = new ShapeCache();
    Shape shape;
    boolean planned;
    final int[] segmentBase = new int[SLOTS + 1];

    /** A reusable view for messages of {@code spec}. */
    public IsoMessageView(MessageSpec spec) {
        this.spec = java.util.Objects.requireNonNull(spec, "spec");
        FieldLayout layout = FieldLayout.of(spec);
        this.specs = layout.specs;
        this.plan = layout.plan;
        this.groupWire = layout.groupWire;
        this.groupSlow = layout.groupSlow;
        this.check = layout.check;
        this.prefixDigits = layout.prefixDigits;
        this.padsLeft = layout.padsLeft;
        this.fixedBcdRead = layout.fixedBcdRead;
    }

    /** The dialect this view decodes. */
    public MessageSpec spec() {
        return spec;
    }

    /**
     * Decodes the readable bytes of {@code frame} (reader index to writer index, indexes left
     * unchanged) and returns this view. Throws {@link IsoCodecException} when the frame does not
     * match the spec.
     */
    public IsoMessageView wrap(ByteBuf frame) {
        clear();
        ByteBuf target = java.util.Objects.requireNonNull(frame, "frame");
        this.buf = target;
        this.base = target.readerIndex();
        this.limit = target.writerIndex();
        if (target.hasArray()) {
            this.array = target.array();
            this.arrayOffset = target.arrayOffset();
        }
        try {
            WrapPass.parse(this);
        } catch (IsoCodecException e) {
            keepFieldsBefore(failedField);
            IsoCodecException withContext = e.mti() == null && mtiRead ? e.withContext(mtiOrNull(), stanOrNull()) : e;
            clear();
            throw withContext;
        }
        return this;
    }

    private void clear() {
        count = 0;
        planned = false;
        fastGroups = 0;
        presentListed = false;
        failedField = 0;
        bitmaps[0] = 0;
        bitmaps[1] = 0;
        bitmaps[2] = 0;
        fieldBits[0] = 0;
        fieldBits[1] = 0;
        fieldBits[2] = 0;
        mtiRead = false;
        buf = null;
        array = null;
    }

    /** After a failed pass: only the fields parsed before the failure stay, so the error can carry field 11. */
    private void keepFieldsBefore(int field) {
        for (int b = 0; b < fieldBits.length; b++) {
            int keep = field - (64 * b + 1);
            fieldBits[b] &= keep <= 0 ? 0 : keep >= 64 ? -1L : -1L << (64 - keep);
        }
    }

    /** Lists the present fields in ascending order into {@link #present}, once per wrap. */
    private void listPresent() {
        int n = 0;
        for (int b = 0; b < fieldBits.length; b++) {
            for (long rest = Long.reverse(fieldBits[b]); rest != 0; rest &= rest - 1) {
                present[n++] = 64 * b + 1 + Long.numberOfTrailingZeros(rest);
            }
        }
        presentListed = true;
    }

    /**
     * Checks every field's content against its type: digits of n fields, the C/D sign and digits of
     * amounts, hex text. {@link #wrap(ByteBuf)} checks structure only (every length and bound), as
     * jPOS's unpack does; the switch's validation stage calls this before trusting or forwarding
     * a message. The first bad field throws {@link IsoCodecException} carrying the MTI and, when
     * field 11 is sound, the STAN.
     */
    public IsoMessageView validate() {
        requireWrapped();
        if (!presentListed) {
            listPresent();
        }
        IsoCodecException first = null;
        int stanState = has(STAN) ? 1 : 0;
        for (int i = 0; i < count; i++) {
            int field = present[i];
            if (!contentSound(field)) {
                if (field == STAN) {
                    stanState = 0;
                }
                if (first == null) {
                    first = contentError(field, specs[field]);
                }
            }
        }
        if (first != null) {
            throw first.withContext(mtiString(), stanState == 1 ? getString(STAN) : null);
        }
        return this;
    }

    /** Builds the error for content that failed its check (cold path). */
    private IsoCodecException contentError(int field, FieldSpec fieldSpec) {
        int bad = FieldDecoder.firstBadChar(fieldSpec, buf, contentAt(field), unitsOf(field));
        return fail(fieldSpec.path(), contentAt(field), "expected " + fieldSpec.type().describeCharset()
                + " (" + fieldSpec.format() + "), found an invalid character at position " + bad);
    }

    /** An exception at buffer index {@code index} (cold path, kept out of the hot methods so they inline). */
    IsoCodecException fail(String path, int index, String problem) {
        return new IsoCodecException(path, index - base, problem);
    }

    private int rawAt(int field) {
        if (planned) {
            int at = shape.slot[field];
            return segmentBase[at >>> 24] + (at & 0xFFFFFF);
        }
        int g = (field - 1) >>> 3;
        if ((fastGroups & 1L << g) == 0) {
            return found[field];
        }
        int bits = (int) (fieldBits[g >>> 3] >>> (56 - 8 * (g & 7))) & 0xFF;
        int before = 0xFF00 >>> ((field - 1) & 7) & 0xFF; // the group's fields before this one
        return groupStart[g] + groupWire[g << 8 | (bits & before)];
    }

    int contentAt(int field) {
        return rawAt(field) + (plan[field << 2 | 2] & 0xFF); // the prefix width, 0 for a fixed field
    }

    private int unitsOf(int field) {
        return plan[field << 2] >= 0 ? plan[field << 2 | 1] : stated[field];
    }

    int endOf(int field) {
        int wire = plan[field << 2];
        return wire >= 0 ? rawAt(field) + wire : contentAt(field) + WrapPass.wireBytes(plan[field << 2 | 3], stated[field]);
    }

    /** Whether the content just parsed passes its type's check (digits for n, sign for x+n, hex). */
    private boolean contentSound(int field) {
        return switch (check[field]) {
            case FieldLayout.CHECK_NONE -> true;
            case FieldLayout.CHECK_BCD_DIGITS -> array != null
                    ? DigitScan.bcdDigits(array, arrayOffset + contentAt(field), unitsOf(field), padsLeft[field])
                    : DigitScan.bcdDigits(buf, contentAt(field), unitsOf(field), padsLeft[field]);
            case FieldLayout.CHECK_ASCII_DIGITS -> array != null
                    ? DigitScan.asciiDigits(array, arrayOffset + contentAt(field), unitsOf(field))
                    : DigitScan.asciiDigits(buf, contentAt(field), unitsOf(field));
            default -> FieldDecoder.firstBadChar(specs[field], buf, contentAt(field), unitsOf(field)) < 0;
        };
    }

    char mtiChar(int mtiIndex, int i) {
        return switch (spec.mtiEncoding()) {
            case BCD -> (char) ('0' + ((buf.getByte(mtiIndex + (i >> 1)) >>> ((i & 1) == 0 ? 4 : 0)) & 0x0F));
            case EBCDIC -> Cp1047.toChar(buf.getByte(mtiIndex + i));
            default -> (char) (buf.getByte(mtiIndex + i) & 0xFF);
        };
    }

    private String mtiOrNull() {
        return mtiRead ? mtiString() : null;
    }

    private String stanOrNull() {
        return has(STAN) && contentSound(STAN) ? getString(STAN) : null;
    }

    private void requireWrapped() {
        if (buf == null) {
            throw new IllegalStateException("no message: wrap a frame first (or the last wrap failed)");
        }
    }

    private void requirePresent(int field) {
        if (!has(field)) {
            requireWrapped();
            throw new IsoCodecException(Integer.toString(field), -1, "expected the field to be present, found it absent");
        }
    }

    // ---- message level -------------------------------------------------------------------

    /** The MTI as a number, e.g. 200 for "0200". */
    public int mti() {
        requireWrapped();
        int digits = mtiDigits;
        return (digits >>> 12) * 1000 + (digits >>> 8 & 0x0F) * 100 + (digits >>> 4 & 0x0F) * 10 + (digits & 0x0F);
    }

    /** The MTI as four digits (allocates). */
    public String mtiString() {
        requireWrapped();
        char[] chars = new char[4];
        for (int i = 0; i < 4; i++) {
            chars[i] = mtiChar(base, i);
        }
        return new String(chars);
    }

    /** Bytes of the decoded frame. */
    public int frameLength() {
        requireWrapped();
        return limit - base;
    }

    /** Number of fields present (bitmaps excluded). */
    public int fieldCount() {
        return count;
    }

    /** The {@code i}-th present field number, in ascending order. */
    public int fieldAt(int i) {
        if (i < 0 || i >= count) {
            throw new IllegalArgumentException("i must be 0.." + (count - 1) + ", found " + i);
        }
        if (!presentListed) {
            listPresent();
        }
        return present[i];
    }

    /** Whether field {@code field} is present. */
    public boolean has(int field) {
        int bit = field - 1;
        return bit >= 0 && bit < SLOTS - 1 && (fieldBits[bit >>> 6] << (bit & 63)) < 0 && buf != null;
    }

    /** The spec of a field of this dialect (null if undefined). */
    public FieldSpec fieldSpec(int field) {
        return field >= 0 && field < SLOTS ? specs[field] : null;
    }

    // ---- field level, by cost --------------------------------------------------------------

    /** The field's length in its own units (digits, characters or bytes), as its prefix states. */
    public int length(int field) {
        requirePresent(field);
        return unitsOf(field);
    }

    /** Wire bytes of the field including its length prefix. */
    public int rawLength(int field) {
        requirePresent(field);
        return endOf(field) - rawAt(field);
    }

    /** Offset of the field's content from the start of the frame. */
    public int contentOffset(int field) {
        requirePresent(field);
        return contentAt(field) - base;
    }

    /** A zero-copy slice of the field's content bytes (no prefix); not retained, see ownership. */
    public ByteBuf slice(int field) {
        requirePresent(field);
        return buf.slice(contentAt(field), endOf(field) - contentAt(field));
    }

    /** Appends the field's exact wire bytes, length prefix included, to {@code out}: the echo primitive. */
    public void copyRawTo(int field, ByteBuf out) {
        requirePresent(field);
        out.writeBytes(buf, rawAt(field), endOf(field) - rawAt(field));
    }

    /** Appends the field's content bytes (no prefix) to {@code out}. */
    public void copyContentTo(int field, ByteBuf out) {
        requirePresent(field);
        out.writeBytes(buf, contentAt(field), endOf(field) - contentAt(field));
    }

    /** The field's character form, decoded on demand from the frame (no copy). */
    public CharSequence chars(int field) {
        requirePresent(field);
        int length = FieldDecoder.charLength(specs[field], unitsOf(field));
        return new FieldChars(specs[field], buf, contentAt(field), unitsOf(field), 0, length);
    }

    /**
     * Positional subfield {@code position} (1-based) of a composite field, as characters; empty
     * when the field ends before it. The last present subfield may be shorter than declared.
     */
    public CharSequence subfield(int field, int position) {
        requirePresent(field);
        FieldSpec fieldSpec = specs[field];
        if (position < 1 || position > fieldSpec.subfields().size()) {
            throw new IsoCodecException(fieldSpec.path(), -1, "expected a subfield 1.." + fieldSpec.subfields().size()
                    + ", found " + position);
        }
        int from = 0;
        for (int i = 0; i < position - 1; i++) {
            from += fieldSpec.subfields().get(i).maxLength();
        }
        int length = FieldDecoder.charLength(fieldSpec, unitsOf(field));
        int start = Math.min(from, length);
        int stop = Math.min(from + fieldSpec.subfields().get(position - 1).maxLength(), length);
        return new FieldChars(fieldSpec, buf, contentAt(field), unitsOf(field), start, stop);
    }

    /** The field's character form as a String, exactly as jPOS's {@code ISOMsg.getString} (allocates). */
    public String getString(int field) {
        requirePresent(field);
        FieldSpec fieldSpec = specs[field];
        int length = FieldDecoder.charLength(fieldSpec, unitsOf(field));
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            chars[i] = FieldDecoder.charAt(fieldSpec, buf, contentAt(field), unitsOf(field), i);
        }
        return new String(chars);
    }

    /** A copy of the field's content bytes (for binary fields: the raw bytes). */
    public byte[] getBytes(int field) {
        requirePresent(field);
        FieldSpec fieldSpec = specs[field];
        if (fieldSpec.encoding() == ContentEncoding.HEX) {
            byte[] bytes = new byte[unitsOf(field)];
            for (int i = 0; i < bytes.length; i++) {
                int at = contentAt(field) + 2 * i;
                bytes[i] = (byte) ((Character.digit(buf.getByte(at), 16) << 4) | Character.digit(buf.getByte(at + 1), 16));
            }
            return bytes;
        }
        byte[] bytes = new byte[endOf(field) - contentAt(field)];
        buf.getBytes(contentAt(field), bytes);
        return bytes;
    }

    /** The field's digits parsed in place as a number (an amount's sign is ignored). */
    public long getLong(int field) {
        // fixed BCD fields of up to 16 digits in a heap frame (amount, STAN, ...): one descriptor
        // load and one long read; anything else, and any bad digit, takes the general path
        int read = field > 0 && field < SLOTS ? fixedBcdRead[field] : 0;
        if (read != 0 && array != null && (fieldBits[(field - 1) >>> 6] << (field - 1)) < 0) {
            int end = arrayOffset + rawAt(field) + (read >>> 16);
            if (end >= Long.BYTES) {
                long x = ((long) BcdReads.BIG_ENDIAN_LONGS.get(array, end - Long.BYTES) & (-1L >>> (64 - (read & 0x7F)))) >>> (read >>> 8 & 0xF);
                long value = (read >>> 16) <= Integer.BYTES ? BcdReads.bcdLanes((int) x) : BcdReads.bcdLanes(x);
                if (value >= 0) {
                    return value;
                }
            }
        }
        return getLongChecked(field);
    }

    private long getLongChecked(int field) {
        requirePresent(field);
        int digits = unitsOf(field);
        if (check[field] == FieldLayout.CHECK_BCD_DIGITS && array != null && digits <= 18) {
            long value = BcdReads.bcdValue(array, arrayOffset + contentAt(field), digits, padsLeft[field]);
            if (value < 0) {
                throw contentError(field, specs[field]).withContext(mtiString(), stanOrNull());
            }
            return value;
        }
        return FieldDecoder.parseLong(specs[field], buf, contentAt(field), digits);
    }

    // ---- the fields the switch uses ----------------------------------------------------------

    /** Field 2, the PAN, as characters read in place. Card data: never log it; see {@link #maskedPan()}. */
    public CharSequence pan() {
        return chars(2);
    }

    /** Field 2 masked as first 6 + last 4, safe to log. */
    public String maskedPan() {
        return Masking.maskPan(chars(2));
    }

    /** Field 3, the processing code, as a number (e.g. 310000). */
    public int processingCode() {
        return (int) getLong(3);
    }

    /** Field 4, the transaction amount in minor units of {@link #currencyCode()}. */
    public long amountMinor() {
        return getLong(4);
    }

    /** Field 11, the system trace audit number. */
    public int stan() {
        return (int) getLong(STAN);
    }

    /** Field 37, the retrieval reference number. */
    public CharSequence rrn() {
        return chars(37);
    }

    /** Field 38, the authorisation code. */
    public CharSequence authorizationCode() {
        return chars(38);
    }

    /** Field 39, the response code. */
    public CharSequence responseCode() {
        return chars(39);
    }

    /** Field 41, the card acceptor terminal id. */
    public CharSequence terminalId() {
        return chars(41);
    }

    /** Field 42, the card acceptor (merchant) id. */
    public CharSequence merchantId() {
        return chars(42);
    }

    /** Field 49, the ISO 4217 numeric currency code of {@link #amountMinor()}. */
    public int currencyCode() {
        return (int) getLong(49);
    }

    @Override
    public String toString() {
        if (buf == null) {
            return "IsoMessageView[" + spec.name() + ", empty]";
        }
        if (!presentListed) {
            listPresent();
        }
        StringBuilder text = new StringBuilder("IsoMessageView[").append(spec.name()).append(", mti=").append(mtiString())
                .append(", fields=");
        for (int i = 0; i < count; i++) {
            text.append(i == 0 ? "" : ",").append(present[i]);
        }
        return text.append(']').toString();
    }
}
