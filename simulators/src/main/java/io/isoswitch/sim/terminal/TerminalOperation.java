package io.isoswitch.sim.terminal;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What a terminal can be asked to do in a script, with the name scripts use for it. */
public enum TerminalOperation {
    @JsonProperty("sign-on") SIGN_ON(false, false, false, null),
    /** UnionPay start-up downloads after sign-on: parameters, CA public keys, AIDs (cup-pos only). */
    @JsonProperty("download-params") DOWNLOAD_PARAMETERS(false, false, false, null),
    @JsonProperty("echo") ECHO(false, false, false, null),
    @JsonProperty("purchase") PURCHASE(true, true, false, BatchTotals.Side.DEBIT),
    @JsonProperty("void") VOID(false, false, true, null),
    @JsonProperty("refund") REFUND(true, true, false, BatchTotals.Side.CREDIT),
    @JsonProperty("pre-auth") PRE_AUTH(true, true, false, null),
    @JsonProperty("pre-auth-void") PRE_AUTH_VOID(false, false, true, null),
    @JsonProperty("completion") COMPLETION(false, true, true, BatchTotals.Side.DEBIT),
    @JsonProperty("balance") BALANCE_INQUIRY(true, false, false, null),
    @JsonProperty("reversal") REVERSAL(false, false, true, null),
    @JsonProperty("settle") SETTLE(false, false, false, null),
    @JsonProperty("sign-off") SIGN_OFF(false, false, false, null);

    private final boolean needsCard;
    private final boolean needsAmount;
    private final boolean needsOriginal;
    private final BatchTotals.Side batchSide;

    TerminalOperation(boolean needsCard, boolean needsAmount, boolean needsOriginal, BatchTotals.Side batchSide) {
        this.needsCard = needsCard;
        this.needsAmount = needsAmount;
        this.needsOriginal = needsOriginal;
        this.batchSide = batchSide;
    }

    /** True when a script step must name a card. */
    public boolean needsCard() {
        return needsCard;
    }

    /** True when a script step must give an amount. */
    public boolean needsAmount() {
        return needsAmount;
    }

    /** True when a script step must name an earlier step ({@code of}) it acts on. */
    public boolean needsOriginal() {
        return needsOriginal;
    }

    /** Where an approval counts in the batch, or {@code null} when it does not. */
    public BatchTotals.Side batchSide() {
        return batchSide;
    }
}
