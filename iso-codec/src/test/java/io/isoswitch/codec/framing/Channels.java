package io.isoswitch.codec.framing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;

/** Drives a decoder through an EmbeddedChannel and collects what comes out, releasing everything. */
final class Channels {
    private Channels() {
    }

    /** What a stream decoded to: bodies and prefixes as byte arrays, the events seen, and whether it closed. */
    record Outcome(List<byte[]> prefixes, List<byte[]> bodies, List<Object> events, boolean closed) {
    }

    /** Feeds {@code stream} in chunks ending at the given cut points, while the channel stays open. */
    static Outcome feed(Framing framing, byte[] stream, int... cuts) {
        List<Object> events = new ArrayList<>();
        EmbeddedChannel channel = new EmbeddedChannel(framing.newDecoder(), new ChannelInboundHandlerAdapter() {
            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                events.add(evt);
            }
        });
        List<byte[]> prefixes = new ArrayList<>();
        List<byte[]> bodies = new ArrayList<>();
        int from = 0;
        for (int i = 0; i <= cuts.length && channel.isOpen(); i++) {
            int to = i < cuts.length ? Math.min(Math.max(cuts[i], from), stream.length) : stream.length;
            ByteBuf chunk = PooledByteBufAllocator.DEFAULT.directBuffer(to - from);
            chunk.writeBytes(stream, from, to - from);
            channel.writeInbound(chunk);
            from = to;
            drain(channel, prefixes, bodies);
        }
        boolean closed = !channel.isOpen();
        channel.finishAndReleaseAll();
        return new Outcome(prefixes, bodies, events, closed);
    }

    /** Feeds {@code stream} one byte per read. */
    static Outcome feedByteByByte(Framing framing, byte[] stream) {
        int[] cuts = new int[stream.length];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = i + 1;
        }
        return feed(framing, stream, cuts);
    }

    private static void drain(EmbeddedChannel channel, List<byte[]> prefixes, List<byte[]> bodies) {
        Frame frame;
        while ((frame = channel.readInbound()) != null) {
            try {
                prefixes.add(ByteBufUtil.getBytes(frame.prefix()));
                bodies.add(ByteBufUtil.getBytes(frame.body()));
            } finally {
                frame.release();
            }
        }
    }
}
