package io.isoswitch.core.listener;

import io.netty.channel.Channel;

/**
 * Back-pressure for one connection: once {@code maxInFlight} requests are being processed, the
 * switch stops reading from the socket (TCP flow control then slows the terminal) instead of
 * queueing without bound; reading resumes when answers go out. Used only from the channel's event
 * loop, so it needs no synchronisation.
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
        if (inFlight >= maxInFlight) {
            channel.config().setAutoRead(false);
        }
    }

    /** A request was answered (or dropped). */
    public void finished() {
        if (inFlight == 0) {
            throw new IllegalStateException("finished() without a matching started()");
        }
        inFlight--;
        if (inFlight < maxInFlight && !channel.config().isAutoRead()) {
            channel.config().setAutoRead(true);
        }
    }

    public int inFlight() {
        return inFlight;
    }
}
