package io.isoswitch.codec;

import io.isoswitch.codec.spec.ContentEncoding;
import io.isoswitch.codec.spec.FieldSpec;
import io.isoswitch.codec.spec.FieldType;
import io.isoswitch.codec.spec.InvalidSpecException;
import io.isoswitch.codec.spec.LengthKind;
import io.isoswitch.codec.spec.NibblePadding;
import io.isoswitch.codec.spec.PrefixEncoding;
import java.util.List;

/**
 * Random field formats for the properties over field encoders: a seed drawn by QuickTheories picks
 * a type, an encoding, a length kind, a prefix, a nibble padding (each of every value given, the
 * last two of all) and a maximum length from 1 to {@code maxLengthCap}. Drawing one seed rather
 * than a tuple keeps a failure's example a single number that names the format again.
 */
record FieldFormats(List<FieldType> types, List<ContentEncoding> encodings, List<LengthKind> kinds, int maxLengthCap) {
    private static final PrefixEncoding[] PREFIXES = PrefixEncoding.values();
    private static final NibblePadding[] NIBBLES = NibblePadding.values();

    FieldFormats {
        types = List.copyOf(types);
        encodings = List.copyOf(encodings);
        kinds = List.copyOf(kinds);
        if (maxLengthCap < 1) {
            throw new IllegalArgumentException("maxLengthCap: expected >= 1, found " + maxLengthCap);
        }
    }

    /** The format {@code seed} picks, as field 2, or null when that combination is not a valid spec. */
    FieldSpec specOf(int seed) {
        int rest = seed;
        FieldType type = types.get(rest % types.size());
        rest /= types.size();
        ContentEncoding encoding = encodings.get(rest % encodings.size());
        rest /= encodings.size();
        LengthKind kind = kinds.get(rest % kinds.size());
        rest /= kinds.size();
        PrefixEncoding prefix = PREFIXES[rest % PREFIXES.length];
        rest /= PREFIXES.length;
        NibblePadding nibble = NIBBLES[rest % NIBBLES.length];
        rest /= NIBBLES.length;
        int max = 1 + rest % Math.min(maxLengthCap, kind == LengthKind.FIXED ? maxLengthCap : kind.maxLength());
        if (!encoding.canCarry(type) || (type == FieldType.XN && max < 2)) {
            return null;
        }
        FieldSpec.Builder builder = FieldSpec.builder(2).type(type).encoding(encoding).nibblePadding(nibble);
        try {
            return (kind == LengthKind.FIXED ? builder.fixed(max) : builder.variable(kind, prefix, max)).build();
        } catch (InvalidSpecException invalid) {
            return null;
        }
    }
}
