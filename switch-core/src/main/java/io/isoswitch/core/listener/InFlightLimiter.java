package io.isoswitch.core.listener;

import io.netty.channel.Channel;

/**
 * Back-pressure for one connection: the switch reads from the socket only while fewer than
 * {@code maxInFlight} requests are being processed and the answers already given have left (the
 * channel is writable: its unsent answers are under the write buffer's high water mark). Otherwise
 * it stops reading, and TCP flow control slows the terminal, instead of queueing without bound: a
 * terminal that sends and never reads its answers would otherwise grow the switch's memory by
 * every answer it does not take. Reading resumes when answers go out. Used only from the channel's
 * event loop, so it needs no synchronisation.
 */
public final class InFlightLimiter {
    private final Channel channel;
    private final int maxInFlight;
    private int inFlight;

    public InFlightLimiter(Channel channel, int maxInFlight) {
        if (maxInFlight <= 0) {
            throw new IllegalArgumentException("maxInFlight must be positive, was " + maxInFlight);
        }
        this.channel = channel;
        this.maxInFlight = maxInFlight;
    }

    /** A request was taken for processing. */
    public void started() {
        inFlight++;
        readOnlyWhileRoom();
    }

    /** A request was answered (or dropped). */
    public void finished() {
        if (inFlight == 0) {
            throw new IllegalStateException("finished() without a matching started()");
        }
        inFlight--;
        readOnlyWhileRoom();
    }

    /** The channel's unsent answers crossed a water mark (the terminal stopped, or started again, taking them). */
    public void writabilityChanged() {
        readOnlyWhileRoom();
    }

    private void readOnlyWhileRoom() {
        boolean read = inFlight < maxInFlight && channel.isWritable();
        if (channel.config().isAutoRead() != read) {
            channel.config().setAutoRead(read);
        }
    }

    public int inFlight() {
        return inFlight;
    }
}
