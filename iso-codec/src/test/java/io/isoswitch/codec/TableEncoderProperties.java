package io.isoswitch.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.isoswitch.codec.spec.BitmapEncoding;
import io.isoswitch.codec.spec.ContentEncoding;
import io.isoswitch.codec.spec.FieldSpec;
import io.isoswitch.codec.spec.FieldType;
import io.isoswitch.codec.spec.LengthKind;
import io.isoswitch.codec.spec.MessageSpec;
import io.isoswitch.codec.spec.NibblePadding;
import io.isoswitch.codec.spec.PrefixEncoding;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The table-driven hot path ({@link TableEncoder}) is an optimisation of the general path
 * ({@link FieldEncoder#checkText} then {@link FieldEncoder#writeText}), never a second opinion: for
 * random field formats and random values (digits, letters, track separators, Latin-1 and characters
 * above U+00FF whose low byte is a digit), whatever the table path writes the general path writes
 * byte for byte, whatever the general path rejects the table path rejects, and every value the
 * general path accepts without padding in a table format is taken by the table path.
 */
class TableEncoderProperties {
    // '/' and ':' border the digits; U+0130 and U+3031 end in the bytes of '0' and '1': a check that looked only at low bytes would pass them
    private static final String ALPHABET = "0123456789=ABCDEFaz :/#\u00e9\u00ff\u0000\u0130\u3031";
    private static final FieldType[] TYPES = {FieldType.N, FieldType.AN, FieldType.ANS, FieldType.Z, FieldType.XN, FieldType.B};
    private static final ContentEncoding[] ENCODINGS = ContentEncoding.values();
    private static final LengthKind[] KINDS = LengthKind.values();
    private static final PrefixEncoding[] PREFIXES = PrefixEncoding.values();
    private static final NibblePadding[] NIBBLES = NibblePadding.values();

    @Test
    void tablePathWritesExactlyWhatTheGeneralPathWrites() {
        qt().withExamples(20_000).forAll(
                integers().allPositive(),
                lists().of(integers().between(0, ALPHABET.length() - 1)).ofSizeBetween(0, 42),
                integers().between(0, 1))
                .checkAssert((seed, indexes, asBuilder) -> {
                    FieldSpec spec = specOf(seed);
                    if (spec == null) {
                        return;
                    }
                    StringBuilder text = new StringBuilder();
                    indexes.forEach(i -> text.append(ALPHABET.charAt(i)));
                    CharSequence value = asBuilder == 1 ? text : text.toString();
                    String general = generalPath(spec, value);
                    String table = tablePath(spec, value);
                    if (table != null) {
                        assertThat(table).as("%s given %s", spec.format(), Hex.of(value.toString().getBytes(java.nio.charset.StandardCharsets.UTF_16BE)))
                                .isEqualTo(general);
                    } else if (general != null && tableFormat(spec) && value.length() == (spec.fixed() ? spec.maxLength() : value.length())) {
                        throw new AssertionError("table path declined a value the general path writes: " + spec.format());
                    }
                });
    }

    private static boolean tableFormat(FieldSpec spec) {
        return CharTables.forField(spec) != null;
    }

    /** A field format drawn from {@code seed}, or null when the combination is not a valid spec. */
    private static FieldSpec specOf(int seed) {
        int rest = seed;
        FieldType type = TYPES[rest % TYPES.length];
        rest /= TYPES.length;
        ContentEncoding encoding = ENCODINGS[rest % ENCODINGS.length];
        rest /= ENCODINGS.length;
        LengthKind kind = KINDS[rest % KINDS.length];
        rest /= KINDS.length;
        PrefixEncoding prefix = PREFIXES[rest % PREFIXES.length];
        rest /= PREFIXES.length;
        NibblePadding nibble = NIBBLES[rest % NIBBLES.length];
        rest /= NIBBLES.length;
        int max = 1 + rest % Math.min(40, kind == LengthKind.FIXED ? 40 : kind.maxLength());
        if (!encoding.canCarry(type) || (type == FieldType.XN && max < 2)) {
            return null;
        }
        FieldSpec.Builder builder = FieldSpec.builder(2).type(type).encoding(encoding).nibblePadding(nibble);
        try {
            return (kind == LengthKind.FIXED ? builder.fixed(max) : builder.variable(kind, prefix, max)).build();
        } catch (io.isoswitch.codec.spec.InvalidSpecException invalid) {
            return null;
        }
    }

    /** The general path's bytes (prefix and content), or null when it rejects the value. */
    private static String generalPath(FieldSpec spec, CharSequence value) {
        ByteBuf out = Unpooled.buffer();
        try {
            int units = FieldEncoder.checkText(spec, value);
            FieldEncoder.writeText(spec, value, units, out);
            return Hex.of(out);
        } catch (IsoCodecException rejected) {
            return null;
        } finally {
            out.release();
        }
    }

    /** The table path's bytes, or null when it declines; a decline must leave the buffer's indexes alone. */
    private static String tablePath(FieldSpec spec, CharSequence value) {
        MessageSpec message = new MessageSpec("one-field", ContentEncoding.ASCII, BitmapEncoding.BINARY, 1, 0, List.of(spec));
        TableEncoder encoder = new TableEncoder(FieldLayout.of(message));
        ByteBuf out = Unpooled.buffer(4, 4096).writeBytes(new byte[] {1, 2, 3});
        try {
            out.readerIndex(1);
            if (!encoder.write(2, spec, value, out)) {
                assertThat(out.readerIndex()).isEqualTo(1);
                assertThat(out.writerIndex()).isEqualTo(3);
                return null;
            }
            assertThat(out.readByte()).isEqualTo((byte) 2);
            assertThat(out.readByte()).isEqualTo((byte) 3);
            return Hex.of(out);
        } finally {
            out.release();
        }
    }
}
