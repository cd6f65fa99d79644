package io.isoswitch.core.listener;

/** The MTI of a response: the request's with its function digit moved to the response (0200 -> 0210). */
final class ResponseMti {
    private ResponseMti() {
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
