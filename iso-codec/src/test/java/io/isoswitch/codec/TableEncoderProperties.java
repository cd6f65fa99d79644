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
    private static final FieldFormats FORMATS = new FieldFormats(
            List.of(FieldType.N, FieldType.AN, FieldType.ANS, FieldType.Z, FieldType.XN, FieldType.B),
            List.of(ContentEncoding.values()), List.of(LengthKind.values()), 40);

    @Test
    void tablePathWritesExactlyWhatTheGeneralPathWrites() {
        qt().withExamples(20_000).forAll(
                integers().allPositive(),
                lists().of(integers().between(0, ALPHABET.length() - 1)).ofSizeBetween(0, 42),
                integers().between(0, 1))
                .checkAssert((seed, indexes, asBuilder) -> {
                    FieldSpec spec = FORMATS.specOf(seed);
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

    /**
     * The writer's own fast path (the common formats written out in {@code field} itself, straight
     * into the buffer's array, the writer index handed to the buffer at finish) is held to the same
     * law: for random formats and values, in a buffer with room and in one that must grow first, the
     * writer writes the general path's bytes and rejects what the general path rejects.
     */
    @Test
    void writerWritesExactlyWhatTheGeneralPathWrites() {
        qt().withExamples(20_000).forAll(
                integers().allPositive(),
                lists().of(integers().between(0, ALPHABET.length() - 1)).ofSizeBetween(0, 42),
                integers().between(0, 3))
                .checkAssert((seed, indexes, form) -> {
                    FieldSpec spec = FORMATS.specOf(seed);
                    if (spec == null) {
                        return;
                    }
                    StringBuilder text = new StringBuilder();
                    indexes.forEach(i -> text.append(ALPHABET.charAt(i)));
                    CharSequence value = (form & 1) == 1 ? text : text.toString();
                    String general = generalPath(spec, value);
                    String written = writerPath(spec, value, (form & 2) == 2 ? 13 : 256);
                    assertThat(written).as("%s given %s", spec.format(), Hex.of(value.toString().getBytes(java.nio.charset.StandardCharsets.UTF_16BE)))
                            .isEqualTo(general);
                });
    }

    /**
     * The same law for values that mostly fit their format, so that every length of every fast
     * format is written, not only rejected: a value of the field's own length (any length up to
     * the maximum for a variable field) drawn from the characters its type accepts, and in two
     * examples of three one character swapped for one from {@code ALPHABET} (a digit's neighbour,
     * a letter, or a character above U+00FF whose low byte is a digit) at a random position.
     */
    @Test
    void writerWritesExactlyWhatTheGeneralPathWritesForValuesThatMostlyFit() {
        qt().withExamples(20_000).forAll(
                integers().allPositive(),
                lists().of(integers().between(0, 1 << 20)).ofSizeBetween(42, 42),
                integers().between(0, 5))
                .checkAssert((seed, draws, form) -> {
                    FieldSpec spec = FORMATS.specOf(seed);
                    if (spec == null || spec.binary()) {
                        return;
                    }
                    String accepted = switch (spec.type()) {
                        case N -> "0123456789";
                        case Z -> "0123456789=ABCDEF";
                        case AN -> "0123456789AZaz ";
                        default -> "0123456789AZaz :/#=\u00e9\u00ff\u0000";
                    };
                    int length = spec.fixed() ? spec.maxLength() : draws.get(0) % (spec.maxLength() + 1);
                    StringBuilder text = new StringBuilder();
                    for (int i = 0; i < length; i++) {
                        text.append(accepted.charAt(draws.get(1 + i) % accepted.length()));
                    }
                    if (length > 0 && form % 3 != 0) {
                        text.setCharAt(draws.get(41) % length, ALPHABET.charAt(draws.get(40) % ALPHABET.length()));
                    }
                    CharSequence value = form == 5 ? text : text.toString();
                    String general = generalPath(spec, value);
                    String written = writerPath(spec, value, (form & 2) == 2 ? 13 : 256);
                    assertThat(written).as("%s given %s", spec.format(), Hex.of(value.toString().getBytes(java.nio.charset.StandardCharsets.UTF_16BE)))
                            .isEqualTo(general);
                });
    }

    /** The field's bytes as IsoMessageWriter writes them into a buffer of {@code capacity}, or null when it rejects the value. */
    private static String writerPath(FieldSpec spec, CharSequence value, int capacity) {
        MessageSpec message = new MessageSpec("one-field", ContentEncoding.ASCII, BitmapEncoding.BINARY, 1, 0, List.of(spec));
        IsoMessageWriter writer = new IsoMessageWriter(message);
        ByteBuf out = Unpooled.buffer(capacity, 4096);
        try {
            writer.begin(out, 200);
            try {
                writer.field(2, value);
            } catch (IsoCodecException rejected) {
                return null;
            }
            int length = writer.finish();
            assertThat(length).isEqualTo(out.readableBytes());
            out.skipBytes(4 + 8); // the MTI and the bitmap
            return Hex.of(out);
        } finally {
            out.release();
        }
    }

    private static boolean tableFormat(FieldSpec spec) {
        return CharTables.forField(spec) != null;
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
            if (!encoder.write(2, value, out)) {
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
