package io.isoswitch.codec.tlv;

import io.netty.buffer.ByteBuf;

/**
 * Describes BER-TLV data for logs and tools, one element per line, indented by nesting:
 *
 * <pre>
 * 9F26 Application Cryptogram [8] 094711AB4B371170
 * 57 Track 2 Equivalent Data [19] ****
 * </pre>
 *
 * Values of card-data tags and of tags not in {@link EmvTags} are masked unless the caller asks
 * for the unmasked form (ops tools with {@code --unmasked}). Malformed data ends the description
 * with the {@link TlvException} message, which carries no data.
 */
public final class TlvDescriber {
    private static final String MASK = "****";

    private TlvDescriber() {
    }

    /** Describes {@code length} bytes from {@code offset} with card data masked. */
    public static String describe(ByteBuf buffer, int offset, int length) {
        return describe(buffer, offset, length, false);
    }

    /** Describes {@code length} bytes from {@code offset}; {@code unmasked} shows every value. */
    public static String describe(ByteBuf buffer, int offset, int length, boolean unmasked) {
        StringBuilder text = new StringBuilder();
        TlvReader[] levels = new TlvReader[TlvWriter.MAX_DEPTH];
        levels[0] = new TlvReader().wrap(buffer, offset, length);
        try {
            describeLevel(levels, 0, text, unmasked);
        } catch (TlvException e) {
            text.append("malformed: ").append(e.getMessage()).append('\n');
        }
        return text.toString();
    }

    private static void describeLevel(TlvReader[] levels, int depth, StringBuilder text, boolean unmasked) {
        TlvReader reader = levels[depth];
        while (reader.next()) {
            int tag = reader.tag();
            text.append("  ".repeat(depth)).append(BerTags.toHex(tag)).append(' ')
                    .append(EmvTags.nameOf(tag)).append(" [").append(reader.valueLength()).append(']');
            if (reader.isConstructed() && depth + 1 < levels.length) {
                text.append('\n');
                if (levels[depth + 1] == null) {
                    levels[depth + 1] = new TlvReader();
                }
                levels[depth + 1].wrapValueOf(reader);
                describeLevel(levels, depth + 1, text, unmasked);
            } else {
                // a constructed value deeper than we descend may hide card data: masked as well
                boolean show = unmasked || !(EmvTags.mustMask(tag) || reader.isConstructed());
                text.append(' ').append(show ? reader.valueHex() : MASK).append('\n');
            }
        }
    }
}
