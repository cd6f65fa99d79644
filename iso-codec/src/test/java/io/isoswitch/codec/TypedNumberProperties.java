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
import io.isoswitch.codec.spec.NibblePadding;
import io.isoswitch.codec.spec.PrefixEncoding;
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
    private static final ContentEncoding[] ENCODINGS = {ContentEncoding.BCD, ContentEncoding.ASCII, ContentEncoding.EBCDIC};
    private static final LengthKind[] KINDS = {LengthKind.FIXED, LengthKind.LL, LengthKind.LLL};
    private static final PrefixEncoding[] PREFIXES = PrefixEncoding.values();
    private static final NibblePadding[] NIBBLES = NibblePadding.values();

    @Test
    void typedNumberWritesWhatItsDigitsWrite() {
        qt().withExamples(20_000).forAll(
                integers().allPositive(),
                longs().between(0, Long.MAX_VALUE),
                integers().between(1, 19))
                .checkAssert((seed, raw, keptDigits) -> {
                    FieldSpec spec = specOf(seed);
                    if (spec == null) {
                        return;
                    }
                    int digits = Math.min(keptDigits, spec.maxLength());
                    long value = digits >= 19 ? raw : raw % pow10(digits);
                    String text = spec.fixed() ? zeroPadded(value, spec.maxLength()) : Long.toString(value);
                    assertThat(encode(spec, value)).as("%s given %d", spec.format(), value).isEqualTo(encode(spec, text));
                });
    }

    private static String encode(FieldSpec spec, Object value) {
        MessageSpec message = new MessageSpec("one-field", ContentEncoding.ASCII, BitmapEncoding.BINARY, 1, 0, List.of(spec));
        IsoMessageWriter writer = new IsoMessageWriter(message);
        ByteBuf out = Unpooled.buffer(4, 4096);
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

    private static FieldSpec specOf(int seed) {
        int rest = seed;
        ContentEncoding encoding = ENCODINGS[rest % ENCODINGS.length];
        rest /= ENCODINGS.length;
        LengthKind kind = KINDS[rest % KINDS.length];
        rest /= KINDS.length;
        PrefixEncoding prefix = PREFIXES[rest % PREFIXES.length];
        rest /= PREFIXES.length;
        NibblePadding nibble = NIBBLES[rest % NIBBLES.length];
        rest /= NIBBLES.length;
        int max = 1 + rest % 19;
        FieldSpec.Builder builder = FieldSpec.builder(2).type(FieldType.N).encoding(encoding).nibblePadding(nibble);
        try {
            return (kind == LengthKind.FIXED ? builder.fixed(max) : builder.variable(kind, prefix, max)).build();
        } catch (io.isoswitch.codec.spec.InvalidSpecException invalid) {
            return null;
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
