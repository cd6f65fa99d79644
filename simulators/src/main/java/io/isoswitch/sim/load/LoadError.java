package io.isoswitch.sim.load;

/** What went wrong besides a timeout; each is counted in the report. */
public enum LoadError {
    /** A connection could not be opened. */
    CONNECT_FAILED,
    /** A terminal's sign-on was not answered 00 with keys that check. */
    SIGN_ON_FAILED,
    /** A request outstanding when its connection closed. */
    CONNECTION_LOST,
    /** An answer that did not decode in the dialect. */
    UNDECODABLE,
    /** An answer matching no outstanding request (late after its timeout, or duplicated). */
    UNMATCHED,
    /**
     * At a fixed rate, a request due in the measured window that never left: the target fell so
     * far behind that the connection stayed full until a timeout past the end. Each is a request
     * the target did not serve at the rate asked.
     */
    NOT_SENT
}
