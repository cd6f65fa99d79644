package io.isoswitch.sim.fault;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Damages a message the way a faulty peer or line does, for fault injection and fuzzing: one bit
 * flipped, several bits flipped, a byte overwritten, a byte inserted, a byte deleted, or the tail
 * cut. The result always differs from the input, in its length or in at least one byte: a fuzz
 * test that counts what a damaged message did must never be handed the genuine one back (a frame
 * handed back whole verifies its MAC and is booked).
 */
public final class ByteDamage {
    private ByteDamage() {
    }

    /** A damaged copy of {@code message} (at least one byte long); the input is left alone. */
    public static byte[] damage(byte[] message, SplittableRandom random) {
        if (message.length == 0) {
            throw new IllegalArgumentException("message: expected at least one byte");
        }
        byte[] m = message.clone();
        int at = random.nextInt(message.length);
        switch (random.nextInt(6)) {
            case 0 -> m[at] ^= (byte) (1 << random.nextInt(8));
            case 1 -> {
                for (int flips = 2 + random.nextInt(6); flips > 0; flips--) {
                    m[random.nextInt(m.length)] ^= (byte) (1 << random.nextInt(8));
                }
            }
            case 2 -> m[at] ^= (byte) (1 + random.nextInt(255));
            case 3 -> m = Arrays.copyOf(message, Math.max(1, at));
            case 4 -> {
                m = new byte[message.length + 1];
                System.arraycopy(message, 0, m, 0, at);
                m[at] = (byte) random.nextInt(256);
                System.arraycopy(message, at, m, at + 1, message.length - at);
            }
            default -> {
                // a one-byte message keeps its byte and is flipped below instead
                if (message.length > 1) {
                    m = new byte[message.length - 1];
                    System.arraycopy(message, 0, m, 0, at);
                    System.arraycopy(message, at + 1, m, at, message.length - at - 1);
                }
            }
        }
        if (Arrays.equals(m, message)) {
            // several flips of the same bit cancelled out
            m[at] ^= (byte) (1 << random.nextInt(8));
        }
        return m;
    }
}
