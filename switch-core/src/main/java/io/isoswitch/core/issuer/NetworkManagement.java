package io.isoswitch.core.issuer;

import io.isoswitch.codec.spec.MessageSpec;

/**
 * The network management messages of a link's dialect, as data. ISO 8583:1987 says what a 0800 is
 * for in field 70; ISO 8583:1993 uses a 1804 with a function code in field 24 and answers
 * network management with action code 800.
 *
 * <pre>
 *               1987 (0800/0810, field 70)   1993 (1804/1814, field 24)
 *   sign-on     001                          801
 *   sign-off    002                          802
 *   echo test   301                          831
 *   key change  101                          811
 *   accepted    field 39 = 00                field 39 = 800 (or 000)
 * </pre>
 *
 * <p>Only the issuer sends a key change (its new zone keys in field 48, as in a sign-on answer);
 * the switch asks for keys by signing on.
 *
 * @param requestMti    the network management request MTI
 * @param responseMti   its response MTI
 * @param codeField     the field that says what the message is for
 * @param signOn        sign-on code
 * @param signOff       sign-off code
 * @param echo          echo test code
 * @param keyChange     key change code (the issuer's new keys in field 48)
 * @param acceptedCode  the response code a network management answer is accepted with
 */
record NetworkManagement(String requestMti, String responseMti, int codeField, String signOn, String signOff,
                         String echo, String keyChange, String acceptedCode) {
    static final NetworkManagement ISO_1987 = new NetworkManagement("0800", "0810", 70, "001", "002", "301", "101", "00");
    static final NetworkManagement ISO_1993 = new NetworkManagement("1804", "1814", 24, "801", "802", "831", "811", "800");

    /** The messages for a dialect: 1993's for a spec whose field 70 is not a network management code. */
    static NetworkManagement of(MessageSpec spec) {
        return spec.name().startsWith("iso93") ? ISO_1993 : ISO_1987;
    }

    /** Whether {@code mti} is a network management request or response of this dialect. */
    boolean isNetwork(String mti) {
        return requestMti.equals(mti) || responseMti.equals(mti);
    }

    /** Whether a network management answer accepts the request. */
    boolean accepted(String responseCode) {
        return acceptedCode.equals(responseCode) || ("800".equals(acceptedCode) && "000".equals(responseCode));
    }

    /** The answer to a network request of the issuer's that the switch does not know: invalid transaction. */
    String errorCode() {
        return "800".equals(acceptedCode) ? "904" : "12";
    }

    /**
     * The answer to keys from the issuer that the switch could not take (malformed, a check value
     * that does not match): security violation, so that the issuer keeps the keys it had.
     */
    String keysRefusedCode() {
        return "800".equals(acceptedCode) ? "909" : "63";
    }

    /** A name for logs. */
    String describe(String code) {
        if (signOn.equals(code)) {
            return "sign-on";
        }
        if (signOff.equals(code)) {
            return "sign-off";
        }
        if (keyChange.equals(code)) {
            return "key change";
        }
        return echo.equals(code) ? "echo" : "network code " + code;
    }
}
