package io.isoswitch.sim.issuer;

/**
 * The ISO 8583 message classes an issuer answers, with their request MTIs (ISO 8583:1987). A
 * repeat (MTI ending in 1) has the class of its first transmission.
 */
public enum MessageClass {
    /** 0100/0110: authorization, here pre-authorization (a hold) or balance inquiry. */
    AUTHORIZATION(100),
    /** 0120/0130: authorization advice, here a pre-authorization the acquirer approved in stand-in. */
    AUTHORIZATION_ADVICE(120),
    /** 0200/0210: financial transaction (purchase, cash, refund, balance inquiry). */
    FINANCIAL(200),
    /**
     * 0220/0230: financial advice: the completion of a pre-authorization (field 90 names it), or a
     * purchase the acquirer approved in stand-in (no field 90).
     */
    FINANCIAL_ADVICE(220),
    /** 0400/0410: reversal. */
    REVERSAL(400),
    /** 0420/0430: reversal advice. */
    REVERSAL_ADVICE(420);

    /** {@code values()} once: it copies its array on every call, and lookups here run per message. */
    private static final MessageClass[] ALL = values();

    private final int requestMti;

    MessageClass(int requestMti) {
        this.requestMti = requestMti;
    }

    /** The request MTI as a number, e.g. {@code 200} for 0200 (as the codec's {@code mti()} gives it). */
    public int requestMti() {
        return requestMti;
    }

    /** The response MTI, e.g. {@code 210} for {@code 200}. */
    public int responseMti() {
        return requestMti + 10;
    }

    /** True for the two advice classes: the acquirer already answered the terminal; the issuer must post them. */
    public boolean isAdvice() {
        return this == AUTHORIZATION_ADVICE || this == FINANCIAL_ADVICE;
    }

    /** True for the two reversal classes. */
    public boolean isReversal() {
        return this == REVERSAL || this == REVERSAL_ADVICE;
    }

    /**
     * The class of a request MTI given as a number ({@code 201} and {@code 200} are both
     * {@link #FINANCIAL}).
     *
     * @throws IllegalArgumentException when the MTI is no request an issuer answers here
     */
    public static MessageClass ofRequestMti(int mti) {
        int first = isRepeat(mti) ? mti - 1 : mti;
        for (MessageClass c : ALL) {
            if (c.requestMti == first) {
                return c;
            }
        }
        throw new IllegalArgumentException("mti: expected 0100, 0120, 0200, 0220, 0400 or 0420 (or a repeat), found "
                + String.format(java.util.Locale.ROOT, "%04d", mti));
    }

    /** True when the MTI is a repeat (its last digit is 1). */
    public static boolean isRepeat(int mti) {
        return mti % 10 == 1;
    }
}
