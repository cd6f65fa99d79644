package io.isoswitch.core.issuer;

import java.util.function.IntPredicate;

/** Where an issuer link's STANs (field 11) come from. */
public interface StanSource {

    /**
     * The next STAN to send, 1 to 999999, not one {@code inUse} holds.
     *
     * @throws IllegalStateException when none can be given now (the request fails; nothing is sent)
     */
    int next(IntPredicate inUse);
}
