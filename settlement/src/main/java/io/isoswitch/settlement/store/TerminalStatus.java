package io.isoswitch.settlement.store;

/** Whether a terminal may transact. */
public enum TerminalStatus {
    /** May sign on and transact. */
    ACTIVE,
    /** Temporarily refused (e.g. suspected fraud); requests are declined. */
    BLOCKED,
    /** Retired; requests are declined. */
    CLOSED
}
