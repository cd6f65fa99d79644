package io.isoswitch.core.issuer;

/**
 * What pairs an issuer's answer with the request it answers: the message class (the MTI without
 * its last digit's request/response distinction, e.g. {@code 020} for 0200/0210), the
 * switch-assigned STAN, and the institution (field 32, or field 41 where the issuer keys on the
 * terminal). Never the STAN alone: STANs wrap and different links reuse them.
 *
 * @param messageClass the MTI's version, class and function digits with the function made a request ({@code 0200} for 0210)
 * @param stan         the switch-assigned STAN on that link
 * @param institution  field 32 (acquiring institution) or 41
 */
public record MatchKey(String messageClass, int stan, String institution) {
    /** The key a request or its response maps to: 0210 and 0200 give the same class, 0410 and 0400 too. */
    public static MatchKey of(String mti, int stan, String institution) {
        if (mti == null || mti.length() != 4) {
            throw new IllegalArgumentException("mti must be four digits, was " + mti);
        }
        char function = mti.charAt(2);
        // 0x1x and 0x0x (response/request) -> request; 0x3x and 0x2x (advice response/advice) -> advice
        char requestFunction = switch (function) {
            case '1' -> '0';
            case '3' -> '2';
            default -> function;
        };
        return new MatchKey(messageClass(mti.charAt(0), mti.charAt(1), requestFunction), stan,
                institution == null ? "" : institution);
    }

    /**
     * One String per class, made once: a key is built for every request sent and every answer
     * read, and equal keys then compare their classes by identity. (A benign race: two threads
     * may each make the same class once; both are equal.)
     */
    private static final String[] CLASSES = new String[1000];

    private static String messageClass(char version, char type, char function) {
        if (version < '0' || version > '9' || type < '0' || type > '9' || function < '0' || function > '9') {
            return "" + version + type + function;
        }
        int index = (version - '0') * 100 + (type - '0') * 10 + (function - '0');
        String known = CLASSES[index];
        if (known == null) {
            known = "" + version + type + function;
            CLASSES[index] = known;
        }
        return known;
    }
}
