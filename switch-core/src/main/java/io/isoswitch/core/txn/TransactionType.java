package io.isoswitch.core.txn;

/**
 * What a request asks for, independent of dialect. {@link TransactionClassifier} derives it from
 * the MTI, the processing code (field 3) and, for UnionPay POS, the message type code (60.1).
 */
public enum TransactionType {
    PURCHASE(true, true),
    PURCHASE_VOID(true, true),
    // a refund the issuer may have credited without its answer reaching the switch is reversed too
    REFUND(true, true),
    PREAUTH(true, true),
    PREAUTH_VOID(true, true),
    PREAUTH_COMPLETION(true, true),
    PREAUTH_COMPLETION_VOID(true, true),
    PREAUTH_COMPLETION_ADVICE(true, false),
    BALANCE_INQUIRY(false, false),
    REVERSAL(true, false),
    SIGN_ON(false, false),
    SIGN_OFF(false, false),
    ECHO(false, false),
    KEY_EXCHANGE(false, false),
    SETTLEMENT(false, false),
    BATCH_UPLOAD(false, false),
    // UnionPay POS start-up downloads (cup-pos.md 7.1, docs/emv-downloads.md): 60.3 360, 362,
    // 372 / 370 / 371 (IC CA public keys), 382 / 380 / 381 (IC parameters, one set per AID)
    PARAMETER_DOWNLOAD(false, false),
    POS_STATUS_UPLOAD(false, false),
    CA_KEY_STATUS_UPLOAD(false, false),
    CA_KEY_DOWNLOAD(false, false),
    CA_KEY_DOWNLOAD_END(false, false),
    AID_STATUS_UPLOAD(false, false),
    AID_DOWNLOAD(false, false),
    AID_DOWNLOAD_END(false, false),
    /** UnionPay IC script result notification (0620, 60.3 951): an advice, acknowledged; moves no money. */
    SCRIPT_RESULT(false, false);

    private final boolean financial;
    private final boolean reversedOnTimeout;

    TransactionType(boolean financial, boolean reversedOnTimeout) {
        this.financial = financial;
        this.reversedOnTimeout = reversedOnTimeout;
    }

    /** Moves or holds money (journaled, limited, settled). */
    public boolean financial() {
        return financial;
    }

    /**
     * A cardholder's request that is approved or declined: what an approval rate counts. Not
     * reversals (acknowledged), network management, settlement, downloads or notifications.
     */
    public boolean asksForApproval() {
        return financial && this != REVERSAL || this == BALANCE_INQUIRY;
    }

    /** An unanswered request of this type must be reversed at the issuer (cup-pos.md §5). */
    public boolean reversedOnTimeout() {
        return reversedOnTimeout;
    }

    /** The lower-case name used as a metrics tag and in configuration. */
    public String tag() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
