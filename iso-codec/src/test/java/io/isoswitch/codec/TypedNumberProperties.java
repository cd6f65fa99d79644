package io.isoswitch.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

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
 * The typed setter {@code field(int, long)} writes exactly what the checked String path writes for
 * the same number (zero-padded to a fixed field's length, as its digits for a variable one), for
 * random n formats: BCD with either nibble padding and an odd or even count, ASCII, EBCDIC, fixed
 * and variable with every prefix, and numbers from 0 to 19 digits, so leading zeros are common.
 */
class TypedNumberProperties {
    private static final FieldFormats FORMATS = new FieldFormats(List.of(FieldType.N),
            List.of(ContentEncoding.BCD, ContentEncoding.ASCII, ContentEncoding.EBCDIC),
            List.of(LengthKind.FIXED, LengthKind.LL, LengthKind.LLL), 19);

    @Test
    void typedNumberWritesWhatItsDigitsWrite() {
        qt().withExamples(20_000).forAll(
                integers().allPositive(),
                longs().between(0, Long.MAX_VALUE),
                integers().between(1, 19))
                .checkAssert((seed, raw, keptDigits) -> {
                    FieldSpec spec = FORMATS.specOf(seed);
                    if (spec == null) {
                        return;
                    }
                    int digits = Math.min(keptDigits, spec.maxLength());
                    long value = digits >= 19 ? raw : raw % pow10(digits);
                    String text = spec.fixed() ? zeroPadded(value, spec.maxLength()) : Long.toString(value);
                    assertThat(encode(spec, value, 4)).as("%s given %d", spec.format(), value).isEqualTo(encode(spec, text, 4));
                    // with room from the start, a fixed BCD field takes the writer's in-method path
                    assertThat(encode(spec, value, 256)).as("%s given %d", spec.format(), value).isEqualTo(encode(spec, text, 4));
                });
    }

    /**
     * Numbers the field cannot hold (more digits than a fixed field's length, or negative) are
     * rejected naming the field, on the in-method path (a heap buffer with room) as on the general one.
     */
    @Test
    void typedNumberRejectsWhatDoesNotFitNamingTheField() {
        qt().withExamples(5_000).forAll(integers().allPositive(), longs().between(1, Long.MAX_VALUE), integers().between(0, 1))
                .checkAssert((seed, raw, heap) -> {
                    FieldSpec spec = FORMATS.specOf(seed);
                    if (spec == null || !spec.fixed() || spec.maxLength() > 18) {
                        return;
                    }
                    long tooBig = pow10(spec.maxLength()) + raw % (Long.MAX_VALUE - pow10(spec.maxLength()));
                    for (long bad : new long[] {tooBig, -raw}) {
                        MessageSpec message = new MessageSpec("one-field", ContentEncoding.ASCII, BitmapEncoding.BINARY, 1, 0, List.of(spec));
                        IsoMessageWriter writer = new IsoMessageWriter(message);
                        ByteBuf out = heap == 1 ? Unpooled.buffer(256) : Unpooled.directBuffer(256);
                        try {
                            writer.begin(out, 200);
                            org.assertj.core.api.Assertions.assertThatThrownBy(() -> writer.field(2, bad))
                                    .as("%s given %d", spec.format(), bad)
                                    .isInstanceOfSatisfying(IsoCodecException.class, e -> assertThat(e.fieldPath()).isEqualTo("2"));
                        } finally {
                            out.release();
                        }
                    }
                });
    }

    private static String encode(FieldSpec spec, Object value, int initialCapacity) {
        MessageSpec message = new MessageSpec("one-field", ContentEncoding.ASCII, BitmapEncoding.BINARY, 1, 0, List.of(spec));
        IsoMessageWriter writer = new IsoMessageWriter(message);
        ByteBuf out = Unpooled.buffer(initialCapacity, 4096);
        try {
            writer.begin(out, 200);
            if (value instanceof Long number) {
                writer.field(2, number);
            } else {
                writer.field(2, (String) value);
            }
            writer.finish();
            return Hex.of(out);
        } finally {
            out.release();
        }
    }

    private static long pow10(int digits) {
        long power = 1;
        for (int i = 0; i < digits; i++) {
            power *= 10;
        }
        return power;
    }

    private static String zeroPadded(long value, int width) {
        String digits = Long.toString(value);
        return "0".repeat(width - digits.length()) + digits;
    }
}
