package io.isoswitch.security;

/** Display form of a PAN: the first 6 and last 4 digits, the rest replaced by {@code *}. */
public final class Pans {
    private Pans() {}

    /** {@code 4111111111111111} becomes {@code 411111******1111}; short values keep only the last 4. */
    public static String mask(CharSequence pan) {
        if (pan == null) {
            return null;
        }
        int length = pan.length();
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            boolean visible = length > 10 ? i < 6 || i >= length - 4 : i >= length - 4 && length > 4;
            out.append(visible ? pan.charAt(i) : '*');
        }
        return out.toString();
    }
}
