package io.isoswitch.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link IsoMessageView#getLong(int)} parses BCD digits in place (eight bytes at a time): for every
 * digit count 1 to 18, each nibble padding, fixed and variable fields, at any offset in the frame's
 * array, it equals the number the digits spell, and a nibble above 9 anywhere in the digits is
 * reported rather than read as a number.
 */
class BcdNumberProperties {
    private static final NibblePadding[] NIBBLES = NibblePadding.values();

    @Test
    void readsTheNumberTheDigitsSpell() {
        qt().withExamples(5_000).forAll(integers().between(1, 18), longs().between(0, Long.MAX_VALUE),
                integers().between(0, 2 * NIBBLES.length - 1), integers().between(0, 9))
                .checkAssert((digits, seed, format, lead) -> {
                    String text = digitsOf(digits, seed);
                    MessageSpec spec = specOf(digits, format);
                    ByteBuf frame = encodedAt(spec, text, lead);
                    try {
                        IsoMessageView view = new IsoMessageView(spec).wrap(frame);
                        assertThat(view.getLong(2)).as("%s in %s", text, spec.field(2).format()).isEqualTo(Long.parseLong(text));
                    } finally {
                        frame.release();
                    }
                });
    }

    @Test
    void rejectsANibbleAboveNineInTheDigits() {
        qt().withExamples(3_000).forAll(integers().between(1, 18), longs().between(0, Long.MAX_VALUE),
                integers().between(0, 2 * NIBBLES.length - 1), integers().between(0, 17))
                .checkAssert((digits, seed, format, badDigit) -> {
                    String text = digitsOf(digits, seed);
                    MessageSpec spec = specOf(digits, format);
                    ByteBuf frame = encodedAt(spec, text, 3);
                    try {
                        IsoMessageView view = new IsoMessageView(spec).wrap(frame);
                        int digit = badDigit % digits;
                        int nibble = digit + ((digits & 1) == 1 && spec.field(2).nibblePadding().padsLeft() ? 1 : 0);
                        int index = frame.readerIndex() + view.contentOffset(2) + nibble / 2;
                        int b = frame.getByte(index) & 0xFF;
                        frame.setByte(index, nibble % 2 == 0 ? (b & 0x0F) | 0xA0 : (b & 0xF0) | 0x0B);
                        assertThatThrownBy(() -> view.getLong(2)).isInstanceOf(IsoCodecException.class);
                    } finally {
                        frame.release();
                    }
                });
    }

    private static String digitsOf(int digits, long seed) {
        String all = String.format("%019d", seed);
        return all.substring(all.length() - digits);
    }

    /** Field 2 as n{digits}, fixed or LL, with one of the four nibble paddings. */
    private static MessageSpec specOf(int digits, int format) {
        FieldSpec.Builder field = FieldSpec.builder(2).type(FieldType.N).encoding(ContentEncoding.BCD)
                .nibblePadding(NIBBLES[format % NIBBLES.length]);
        field = format < NIBBLES.length ? field.fixed(digits) : field.variable(LengthKind.LL, PrefixEncoding.BCD, 18);
        List<FieldSpec> fields = new ArrayList<>(List.of(field.build()));
        return new MessageSpec("bcd-numbers", ContentEncoding.BCD, BitmapEncoding.BINARY, 1, 0, fields);
    }

    /** The message in a heap buffer whose array holds {@code lead} other bytes before the frame. */
    private static ByteBuf encodedAt(MessageSpec spec, String digits, int lead) {
        ByteBuf out = Unpooled.buffer(64);
        out.writeZero(lead);
        out.readerIndex(lead);
        new IsoMessageWriter(spec).begin(out, 200).field(2, digits).finish();
        return out;
    }
}
