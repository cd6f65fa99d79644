package io.isoswitch.codec.spec;

import java.util.List;
import java.util.Objects;

/**
 * One field of a dialect, declared as data: what it may hold ({@link FieldType}), how its length is
 * known ({@link LengthKind} and {@link PrefixEncoding}), how its content is written
 * ({@link ContentEncoding}, {@link NibblePadding}) and how a short fixed value is filled
 * ({@link Padding}). Every combination is the same class: the codec composes these few
 * enums rather than having a class per field format.
 *
 * <pre>
 * variable field:  [prefix: width(LL) bytes][content: encoding.wireLength(units) bytes]
 * fixed field:                              [content: encoding.wireLength(maxLength) bytes]
 * </pre>
 *
 * @param path the field number, or a subfield path such as {@code "60.3"}
 * @param number the field (or subfield position) number
 * @param name a human name, for descriptions
 * @param type what the value may contain
 * @param lengthKind fixed or the number of prefix digits
 * @param prefix how the prefix is written; null for fixed fields
 * @param maxLength the fixed length, or the largest variable length, in the field's units
 * @param encoding how the content is written
 * @param nibblePadding where the pad nibble of odd BCD goes
 * @param padding how a short fixed value is filled when encoding
 * @param subfieldKind whether and how the content is divided
 * @param subfields positional subfields, in order (empty unless {@code POSITIONAL})
 */
public record FieldSpec(
        String path,
        int number,
        String name,
        FieldType type,
        LengthKind lengthKind,
        PrefixEncoding prefix,
        int maxLength,
        ContentEncoding encoding,
        NibblePadding nibblePadding,
        Padding padding,
        SubfieldKind subfieldKind,
        List<FieldSpec> subfields) {

    /** Checks the combination and names the field in any complaint. */
    public FieldSpec {
        Objects.requireNonNull(path, "path");
        if (type == null) {
            throw new InvalidSpecException(path, "type is missing (expected n, an, ans, b, z or x+n)");
        }
        if (lengthKind == null) {
            throw new InvalidSpecException(path, "length kind is missing (expected FIXED, L, LL, LLL or LLLL)");
        }
        if (encoding == null) {
            throw new InvalidSpecException(path, "encoding is missing (expected ASCII, EBCDIC, BCD, BINARY or HEX)");
        }
        if (!encoding.canCarry(type)) {
            throw new InvalidSpecException(path, "encoding " + encoding + " cannot carry type " + type.code());
        }
        if (maxLength < 1) {
            throw new InvalidSpecException(path, "length must be at least 1, found " + maxLength);
        }
        if (lengthKind == LengthKind.FIXED) {
            if (prefix != null) {
                throw new InvalidSpecException(path, "a FIXED field has no prefix, found prefix " + prefix);
            }
        } else {
            if (prefix == null) {
                throw new InvalidSpecException(path, "a " + lengthKind + " field needs a prefix encoding (ASCII, EBCDIC, BCD or BINARY)");
            }
            int limit = prefix == PrefixEncoding.BINARY
                    ? Math.min(lengthKind.maxLength(), (1 << (8 * prefix.width(lengthKind.digits()))) - 1)
                    : lengthKind.maxLength();
            if (maxLength > limit) {
                throw new InvalidSpecException(path, "maxLength " + maxLength + " does not fit an " + lengthKind
                        + " " + prefix + " prefix (at most " + limit + ")");
            }
        }
        if (type == FieldType.XN && maxLength < 2) {
            throw new InvalidSpecException(path, "a signed amount needs a sign and at least one digit, found length " + maxLength);
        }
        nibblePadding = nibblePadding == null ? NibblePadding.LEFT : nibblePadding;
        padding = padding == null
                ? (lengthKind == LengthKind.FIXED ? Padding.defaultFor(type) : Padding.NONE)
                : padding;
        subfieldKind = subfieldKind == null ? SubfieldKind.NONE : subfieldKind;
        subfields = subfields == null ? List.of() : List.copyOf(subfields);
        name = name == null ? "" : name;
        if (subfieldKind == SubfieldKind.POSITIONAL) {
            if (subfields.isEmpty()) {
                throw new InvalidSpecException(path, "POSITIONAL subfields declared but none listed");
            }
            int total = 0;
            for (FieldSpec sub : subfields) {
                if (sub.lengthKind() != LengthKind.FIXED) {
                    throw new InvalidSpecException(sub.path(), "positional subfields must be FIXED, found " + sub.lengthKind());
                }
                total += sub.maxLength();
            }
            if (total > maxLength) {
                throw new InvalidSpecException(path, "subfields add up to " + total + " but the field holds at most " + maxLength);
            }
        } else if (!subfields.isEmpty()) {
            throw new InvalidSpecException(path, "subfields listed but subfieldKind is " + subfieldKind);
        }
    }

    /** Starts a field spec for field {@code number}. */
    public static Builder builder(int number) {
        return new Builder(Integer.toString(number), number);
    }

    /** Whether the length is fixed by the spec. */
    public boolean fixed() {
        return lengthKind == LengthKind.FIXED;
    }

    /** Bytes of the length prefix (0 for fixed fields). */
    public int prefixWidth() {
        return fixed() ? 0 : prefix.width(lengthKind.digits());
    }

    /** Wire bytes of content holding {@code units} units. */
    public int wireLength(int units) {
        return encoding.wireLength(type, units);
    }

    /** Whether the value is raw bytes (shown as uppercase hex). */
    public boolean binary() {
        return type == FieldType.B;
    }

    /** A compact format description such as {@code "n..19 LL BCD"}. */
    public String format() {
        String size = fixed() ? Integer.toString(maxLength) : ".".repeat(lengthKind.digits()) + maxLength;
        return type.code() + size + " " + lengthKind + (fixed() ? "" : "/" + prefix) + " " + encoding;
    }

    /** Fluent construction, used by code-declared specs and by the spec-file loader. */
    public static final class Builder {
        private final String path;
        private final int number;
        private String name;
        private FieldType type;
        private LengthKind lengthKind = LengthKind.FIXED;
        private PrefixEncoding prefix;
        private int maxLength;
        private ContentEncoding encoding;
        private NibblePadding nibblePadding;
        private Padding padding;
        private SubfieldKind subfieldKind;
        private List<FieldSpec> subfields;

        Builder(String path, int number) {
            this.path = path;
            this.number = number;
        }

        /** Starts a subfield of this field at position {@code position}. */
        public Builder subfield(int position) {
            return new Builder(path + "." + position, position);
        }

        public Builder name(String value) { this.name = value; return this; }
        public Builder type(FieldType value) { this.type = value; return this; }
        public Builder fixed(int length) { this.lengthKind = LengthKind.FIXED; this.prefix = null; this.maxLength = length; return this; }
        public Builder variable(LengthKind kind, PrefixEncoding prefixEncoding, int max) {
            this.lengthKind = kind; this.prefix = prefixEncoding; this.maxLength = max; return this;
        }
        public Builder lengthKind(LengthKind value) { this.lengthKind = value; return this; }
        public Builder prefix(PrefixEncoding value) { this.prefix = value; return this; }
        public Builder maxLength(int value) { this.maxLength = value; return this; }
        public Builder encoding(ContentEncoding value) { this.encoding = value; return this; }
        public Builder nibblePadding(NibblePadding value) { this.nibblePadding = value; return this; }
        public Builder padding(Padding value) { this.padding = value; return this; }
        public Builder subfields(SubfieldKind kind, List<FieldSpec> list) { this.subfieldKind = kind; this.subfields = list; return this; }

        /** Builds and checks the spec; throws {@link InvalidSpecException} naming the field. */
        public FieldSpec build() {
            return new FieldSpec(path, number, name, type, lengthKind, prefix, maxLength, encoding,
                    nibblePadding, padding, subfieldKind, subfields);
        }
    }
}
