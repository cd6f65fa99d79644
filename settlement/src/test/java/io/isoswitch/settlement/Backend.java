package io.isoswitch.settlement;

/** The databases every database test runs on. */
public enum Backend {
    H2,
    POSTGRESQL
}
