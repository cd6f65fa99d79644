package io.isoswitch.core.listener;

/**
 * Computes an answer's MAC over its MAC block (MTI to the end of the last field before the MAC)
 * with the terminal's session key, in the dialect's algorithm. Built by the pipeline from the HSM,
 * so the listener never holds a key.
 */
@FunctionalInterface
public interface MacSigner {
    /** The 8-byte MAC of {@code data[offset, offset + length)}. */
    byte[] sign(byte[] data, int offset, int length);
}
