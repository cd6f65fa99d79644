package io.isoswitch.codec;

import io.isoswitch.codec.spec.FieldSpec;
import io.isoswitch.codec.spec.FieldType;
import io.isoswitch.codec.spec.MessageSpec;
import io.isoswitch.codec.spec.Padding;
import java.util.List;
import java.util.Random;

/**
 * Seeded generator of valid messages for a spec: random field sets (sometimes with a secondary
 * bitmap, sometimes without), lengths at their edges (0, 1, max - 1, max) as often as in between,
 * short fixed values that need padding, and every character class a field type admits.
 */
public final class RandomMessages {
    private static final List<String> MTIS = List.of("0100", "0110", "0200", "0210", "0220", "0400", "0420", "0800", "0810", "1200");
    private static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 ";

    private final MessageSpec spec;
    private final Random random;
    private final List<FieldSpec> fields;

    private final boolean shortFixedValues;

    /** A generator that also makes short fixed values (padded by the encoder). */
    public RandomMessages(MessageSpec spec, long seed) {
        this(spec, seed, true);
    }

    /**
     * @param shortFixedValues whether fixed fields may get values shorter than the field (which
     *     then decode padded, so decode(encode(m)) differs from m)
     */
    public RandomMessages(MessageSpec spec, long seed, boolean shortFixedValues) {
        this.shortFixedValues = shortFixedValues;
        this.spec = spec;
        this.random = new Random(seed);
        this.fields = spec.fields();
    }

    /** The next random valid message. */
    public IsoMessage next() {
        IsoMessage message = new IsoMessage(MTIS.get(random.nextInt(MTIS.size())));
        boolean secondary = spec.maxBitmaps() > 1 && random.nextInt(3) == 0;
        double density = 0.05 + random.nextDouble() * 0.3;
        for (FieldSpec field : fields) {
            if (field.number() > 64 && !secondary) {
                continue;
            }
            if (random.nextDouble() < density) {
                set(message, field);
            }
        }
        if (message.fields().isEmpty()) {
            set(message, fields.get(random.nextInt(Math.min(fields.size(), 40))));
        }
        return message;
    }

    /**
     * A message with the MTI and the fields of {@code template} (so the same bitmaps, the same
     * shape) and fresh values: variable fields get other lengths, so offsets after them move.
     */
    public IsoMessage sameShapeAs(IsoMessage template) {
        IsoMessage message = new IsoMessage(template.mti());
        for (int number : template.fields()) {
            set(message, spec.field(number));
        }
        return message;
    }

    private void set(IsoMessage message, FieldSpec field) {
        if (field.binary()) {
            byte[] bytes = new byte[field.fixed() ? field.maxLength() : length(field, 0)];
            random.nextBytes(bytes);
            message.set(field.number(), bytes);
        } else {
            message.set(field.number(), text(field));
        }
    }

    private int length(FieldSpec field, int min) {
        int max = field.maxLength();
        return switch (random.nextInt(6)) {
            case 0 -> min;
            case 1 -> Math.min(max, min + 1);
            case 2 -> Math.max(min, max - 1);
            case 3 -> max;
            default -> min + random.nextInt(max - min + 1);
        };
    }

    private String text(FieldSpec field) {
        FieldType type = field.type();
        boolean shortFixed = shortFixedValues && field.fixed() && field.padding() != Padding.NONE && random.nextInt(4) == 0;
        int length = field.fixed() && !shortFixed ? field.maxLength() : length(field, type == FieldType.XN ? 1 : 0);
        StringBuilder value = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            value.append(switch (type) {
                case N -> digit();
                case XN -> i == 0 ? (random.nextBoolean() ? 'C' : 'D') : digit();
                case Z -> i > 0 && i == length / 2 ? '=' : digit();
                case AN -> ALNUM.charAt(random.nextInt(ALNUM.length()));
                case ANS -> random.nextInt(20) == 0 ? (char) (0xA0 + random.nextInt(0x60)) : (char) (0x20 + random.nextInt(0x5F));
                case B -> throw new IllegalStateException("binary fields are set as bytes");
            });
        }
        return value.toString();
    }

    private char digit() {
        return (char) ('0' + random.nextInt(10));
    }
}
