package io.isoswitch.core.listener;

/** The MTI of a response: the request's with its function digit moved to the response (0200 -> 0210). */
final class ResponseMti {
    private ResponseMti() {
    }

    /**
     * Whether an MTI read from a frame that did not decode names a request, advice or
     * notification of a known version and class, so that answering it with 30 makes sense. Random
     * bytes often read as digits ("9900"); answering those would send a message no peer can parse.
     */
    static boolean answerable(String mti) {
        if (mti == null || mti.length() != 4) {
            return false;
        }
        for (int i = 0; i < 4; i++) {
            if (mti.charAt(i) < '0' || mti.charAt(i) > '9') {
                return false;
            }
        }
        return answerable(Integer.parseInt(mti));
    }

    /** {@link #answerable(String)} for an MTI read as a number (0200 is 200), without allocating. */
    static boolean answerable(int mti) {
        if (mti < 0 || mti > 9999) {
            return false;
        }
        int version = mti / 1000;
        int messageClass = mti / 100 % 10;
        int function = mti / 10 % 10;
        int origin = mti % 10;
        return version >= 0 && version <= 2 && messageClass >= 1 && messageClass <= 8
                && (function == 0 || function == 2 || function == 4) && origin >= 0 && origin <= 5;
    }

    /** 0200 -> 0210, 0220 -> 0230, 0400 -> 0410, 0401 -> 0410, 0800 -> 0810, 0820 -> 0830. */
    static int of(int requestMti) {
        int function = requestMti / 10 % 10;
        int base = requestMti - requestMti % 100;
        int responseFunction = function % 2 == 0 ? function + 1 : function;
        // the origin digit (repeat = 1) does not carry into the response
        return base + responseFunction * 10;
    }
}
