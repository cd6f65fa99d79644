package io.isoswitch.core.listener;

import io.isoswitch.codec.IsoMessageView;
import io.isoswitch.codec.framing.Frame;
import io.netty.channel.Channel;

/**
 * One request from a terminal, alive from its frame's arrival until its answer is written. It owns
 * the request frame (released by {@link TerminalConnection} after the answer leaves), so the
 * decoded view stays valid for the whole pipeline and echoed fields are copied straight from it.
 * Not thread-safe: stages on other threads read only what the pipeline copied out of it.
 */
public final class Exchange {
    private final Channel channel;
    private final Frame frame;
    private final IsoMessageView request;
    private final DialectProfile dialect;
    private final long startNanos;

    Exchange(Channel channel, Frame frame, IsoMessageView request, DialectProfile dialect, long startNanos) {
        this.channel = channel;
        this.frame = frame;
        this.request = request;
        this.dialect = dialect;
        this.startNanos = startNanos;
    }

    /** The decoded request; valid until the answer is written. */
    public IsoMessageView request() {
        return request;
    }

    public DialectProfile dialect() {
        return dialect;
    }

    /** The connection it came on (its event loop is where answers are composed). */
    public Channel channel() {
        return channel;
    }

    /** The frame's prefix (TPDU and header for cup-pos); valid until the answer is written. */
    public io.netty.buffer.ByteBuf prefix() {
        return frame.prefix();
    }

    /** The message body (MTI onwards) as an unretained slice; valid until the answer is written. */
    public io.netty.buffer.ByteBuf body() {
        return frame.body();
    }

    Frame frame() {
        return frame;
    }

    public long startNanos() {
        return startNanos;
    }
}
