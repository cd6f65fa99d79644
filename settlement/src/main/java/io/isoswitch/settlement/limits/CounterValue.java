package io.isoswitch.settlement.limits;

/** A counter's totals so far. */
public record CounterValue(long count, long amountMinor) {}
