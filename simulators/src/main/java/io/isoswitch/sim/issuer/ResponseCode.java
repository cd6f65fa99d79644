package io.isoswitch.sim.issuer;

/** The field 39 answers the simulated issuer gives (ISO 8583:1987 meanings). */
public enum ResponseCode {
    APPROVED("00"),
    /** Approved for less than asked (the amount in field 4 of the answer); only with partial approvals on. */
    PARTIAL_APPROVAL("10"),
    /** Approved, the cardholder a VIP: a full approval; only when set as the full-approval code. */
    VIP_APPROVAL("11"),
    /** Honour with identification: a full approval; only when set as the full-approval code. */
    HONOUR_WITH_IDENTIFICATION("08"),
    /** Approved, update track 3: a full approval; only when set as the full-approval code. */
    APPROVED_UPDATE_TRACK_3("16"),
    DO_NOT_HONOUR("05"),
    INVALID_TRANSACTION("12"),
    INVALID_AMOUNT("13"),
    INVALID_CARD_NUMBER("14"),
    UNABLE_TO_LOCATE_ORIGINAL("25"),
    FORMAT_ERROR("30"),
    LOST_CARD("41"),
    STOLEN_CARD("43"),
    INSUFFICIENT_FUNDS("51"),
    EXPIRED_CARD("54"),
    INCORRECT_PIN("55"),
    NOT_PERMITTED_TO_CARDHOLDER("57"),
    EXCEEDS_AMOUNT_LIMIT("61"),
    PIN_TRIES_EXCEEDED("75"),
    ISSUER_UNAVAILABLE("91"),
    SYSTEM_MALFUNCTION("96");

    /** {@code values()} once: it copies its array on every call, and lookups here run per message. */
    private static final ResponseCode[] ALL = values();

    private final String code;

    ResponseCode(String code) {
        this.code = code;
    }

    /** The two characters of field 39. */
    public String code() {
        return code;
    }

    /** True for 00, 08, 10, 11 and 16: the bank booked money (all of the amount, or part of it). */
    public boolean isApproved() {
        return this == APPROVED || this == PARTIAL_APPROVAL || isFullApprovalVariant();
    }

    /** 08, 11 and 16: full approvals that say something more (check identity, a VIP, track 3 to update). */
    public boolean isFullApprovalVariant() {
        return this == VIP_APPROVAL || this == HONOUR_WITH_IDENTIFICATION || this == APPROVED_UPDATE_TRACK_3;
    }

    /** The response code with these two characters. */
    public static ResponseCode ofCode(String code) {
        for (ResponseCode rc : ALL) {
            if (rc.code.equals(code)) {
                return rc;
            }
        }
        throw new IllegalArgumentException("response code: unknown '" + code + "'");
    }
}
