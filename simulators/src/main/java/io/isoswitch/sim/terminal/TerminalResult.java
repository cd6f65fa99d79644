package io.isoswitch.sim.terminal;

import java.util.Objects;

/**
 * What one terminal transaction came to.
 *
 * @param operation      what was done
 * @param outcome        answered, or what went wrong on the way
 * @param stan           field 11 of the request
 * @param rrn            field 37 of the answer (or of the request), may be empty
 * @param responseCode   field 39 of the answer, empty when none came
 * @param approvalCode   field 38 of the answer, may be empty
 * @param amountMinor    amount of the request
 * @param currency       ISO 4217 numeric
 * @param maskedPan      the card, masked (empty for management messages)
 * @param balance        field 54 of the answer, may be empty
 * @param date           field 13 of the request (MMDD), for voids and reversals
 * @param time           field 12 of the request (hhmmss)
 */
public record TerminalResult(
        TerminalOperation operation,
        Outcome outcome,
        int stan,
        String rrn,
        String responseCode,
        String approvalCode,
        long amountMinor,
        int currency,
        String maskedPan,
        String balance,
        String date,
        String time) {

    /** How a transaction ended on the wire. */
    public enum Outcome {
        /** An answer came and its MAC (if any) verified. */
        ANSWERED,
        /** An answer came but its MAC did not verify; the terminal reversed (reason A0). */
        MAC_FAILED,
        /** No answer in time; the terminal sent its reversal (reason 98) and it was acknowledged. */
        TIMED_OUT_REVERSED,
        /** No answer in time, and the reversal was not acknowledged either: kept for later. */
        TIMED_OUT_REVERSAL_PENDING,
        /** No answer in time to something that needs no reversal (inquiry, echo, settlement). */
        NO_ANSWER,
        /**
         * The connection broke before an answer came; the reversal is kept pending, to be sent with
         * {@link PosTerminal#retryPendingReversals()} once {@link PosTerminal#reconnect()}ed.
         */
        CONNECTION_LOST,
        /**
         * No answer it could trust to an advice the terminal must not reverse (a UnionPay refund):
         * kept, and sent again unchanged by {@link PosTerminal#retryPendingReversals()} until answered.
         */
        ADVICE_PENDING,
        /** A sign-on answer whose working keys did not match their check values: not installed. */
        KEYS_REJECTED
    }

    public TerminalResult {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(rrn, "rrn");
        Objects.requireNonNull(responseCode, "responseCode");
        Objects.requireNonNull(approvalCode, "approvalCode");
        Objects.requireNonNull(maskedPan, "maskedPan");
        Objects.requireNonNull(balance, "balance");
        Objects.requireNonNull(date, "date");
        Objects.requireNonNull(time, "time");
    }

    /** Answered 00 with a good MAC. */
    public boolean approved() {
        return outcome == Outcome.ANSWERED && "00".equals(responseCode);
    }

    /** One line for people: operation, outcome, code, amount, masked card. */
    public String describe() {
        return String.format(java.util.Locale.ROOT, "%-10s stan=%06d rc=%-2s %-26s amount=%d cur=%03d card=%s%s%s",
                operation.name().toLowerCase(java.util.Locale.ROOT), stan, responseCode.isEmpty() ? "--" : responseCode,
                outcome, amountMinor, currency, maskedPan.isEmpty() ? "-" : maskedPan,
                approvalCode.isEmpty() ? "" : " auth=" + approvalCode, balance.isEmpty() ? "" : " balance=" + balance);
    }
}
