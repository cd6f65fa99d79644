package io.isoswitch.sim.card;

/** Small checks on decimal digit strings, shared by the card types. */
final class Digits {
    private Digits() {
    }

    static boolean isDigits(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
