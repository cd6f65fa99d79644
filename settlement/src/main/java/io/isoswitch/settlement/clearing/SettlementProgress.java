package io.isoswitch.settlement.clearing;

/** Told how a long settlement run advances, for a command's progress display. */
@FunctionalInterface
public interface SettlementProgress {
    SettlementProgress NONE = (step, count) -> { };

    /**
     * @param step  what has just finished, e.g. "marked"
     * @param count rows it concerned, or -1
     */
    void stepDone(String step, long count);
}
