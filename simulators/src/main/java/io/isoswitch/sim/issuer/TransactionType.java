package io.isoswitch.sim.issuer;

import java.util.Optional;

/** The transaction types the issuer knows, by the first two digits of the processing code (field 3). */
public enum TransactionType {
    /** 00: goods and services (purchase; pre-authorization and completion in their classes). */
    PURCHASE("00", true),
    /** 01: cash. */
    CASH("01", true),
    /** 02: adjustment, here a void: field 90 names the original, which is undone as a reversal would. */
    VOID("02", true),
    /** 20: returns, a refund to the card. */
    REFUND("20", true),
    /** 31: balance inquiry, moves no money. */
    BALANCE_INQUIRY("31", false);

    /** {@code values()} once: it copies its array on every call, and lookups here run per message. */
    private static final TransactionType[] ALL = values();

    private final String code;
    private final boolean movesMoney;

    TransactionType(String code, boolean movesMoney) {
        this.code = code;
        this.movesMoney = movesMoney;
    }

    /** The two digits of field 3 that name this type. */
    public String code() {
        return code;
    }

    /** False only for a balance inquiry. */
    public boolean movesMoney() {
        return movesMoney;
    }

    /** The type named by a 6-digit processing code, if the issuer knows it. */
    public static Optional<TransactionType> ofProcessingCode(String processingCode) {
        if (processingCode == null || processingCode.length() != 6) {
            return Optional.empty();
        }
        for (TransactionType type : ALL) {
            if (processingCode.startsWith(type.code)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
