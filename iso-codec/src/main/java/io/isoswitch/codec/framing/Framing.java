package io.isoswitch.codec.framing;

import io.isoswitch.codec.cup.Tpdu;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;

/**
 * The framing of one listener or link, chosen by data: a kind name ({@code binary2}, {@code
 * ascii4}, {@code bcd2}) and {@link FramingOptions}. Gives a fresh decoder per connection, the
 * shared encoder, and builds response frames whose prefix is derived from the request's.
 *
 * <pre>{@code
 * Framing framing = Framing.of("binary2", FramingOptions.cupPos());
 * pipeline.addLast(framing.newDecoder(), framing.encoder(), new TerminalHandler(framing));
 * }</pre>
 *
 * @param header  the length header kind
 * @param options prefix and maximum
 */
public record Framing(LengthHeader header, FramingOptions options) {
    /** Checks that the maximum fits the header. */
    public Framing {
        header.requireCanExpress(options.maxFrameLengthBytes());
    }

    /**
     * The framing named {@code kind} with {@code options}.
     *
     * @throws IllegalArgumentException for an unknown kind or options the kind cannot carry
     */
    public static Framing of(String kind, FramingOptions options) {
        return new Framing(LengthHeader.named(kind), options);
    }

    /** A new decoder: one per connection. */
    public LengthPrefixedFrameDecoder newDecoder() {
        return new LengthPrefixedFrameDecoder(header, options);
    }

    /** An encoder; it is sharable, so one may serve every connection. */
    public LengthPrefixedFrameEncoder encoder() {
        return new LengthPrefixedFrameEncoder(header, options);
    }

    /**
     * A response frame for {@code request}: a new prefix (TPDU addresses swapped when the options
     * say there is a TPDU, the rest copied from the request) followed by {@code body}, composed
     * without copying the body. Takes ownership of {@code body}; leaves {@code request} to its owner.
     */
    public Frame responseTo(Frame request, ByteBuf body, ByteBufAllocator alloc) {
        int prefixLength = options.prefixLength();
        if (request.prefixLength() != prefixLength) {
            body.release();
            throw new IllegalArgumentException("request has a " + request.prefixLength()
                    + "-byte prefix, this framing " + prefixLength);
        }
        if (prefixLength == 0) {
            return new Frame(body, 0);
        }
        ByteBuf prefix = alloc.buffer(prefixLength);
        if (options.tpdu()) {
            // the TPDU with its addresses swapped, then the rest of the prefix (the header) as it came
            ByteBuf requestPrefix = request.prefix();
            int at = requestPrefix.readerIndex();
            Tpdu.read(requestPrefix, at).reply().write(prefix);
            prefix.writeBytes(requestPrefix, at + Tpdu.LENGTH, prefixLength - Tpdu.LENGTH);
        } else {
            prefix.writeBytes(request.prefix());
        }
        CompositeByteBuf content = alloc.compositeBuffer(2);
        content.addComponents(true, prefix, body);
        return new Frame(content, prefixLength);
    }
}
