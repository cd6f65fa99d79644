package io.isoswitch.codec.framing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

/** Builds framed byte streams for tests. */
final class FrameBytes {
    private FrameBytes() {
    }

    /** {@code header} with the length of {@code content}, then {@code content}. */
    static byte[] frame(LengthHeader header, byte[] content) {
        ByteBuf out = Unpooled.buffer();
        header.write(content.length, out);
        out.writeBytes(content);
        return ByteBufUtil.getBytes(out);
    }

    static byte[] concat(byte[]... parts) {
        ByteBuf out = Unpooled.buffer();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return ByteBufUtil.getBytes(out);
    }
}
