package io.isoswitch.sim.wire;

import java.time.MonthDay;
import java.util.Locale;
import java.util.Objects;

/**
 * Field 90 (n 42) of ISO 8583:1987: the original request a reversal or completion refers to.
 *
 * <pre>
 * MTI (4) | STAN (6) | transmission date and time MMDDhhmmss (10) | acquirer id (11) | forwarding id (11)
 * </pre>
 * Institution ids are right-aligned and zero-filled.
 *
 * @param mti                  original MTI as a number (200 for 0200)
 * @param stan                 original STAN
 * @param transmissionDateTime original field 7, MMDDhhmmss
 * @param acquirerId           original field 32 (leading zeros removed when parsed)
 * @param forwardingId         original field 33 (leading zeros removed when parsed)
 */
public record OriginalDataElements(int mti, int stan, String transmissionDateTime, String acquirerId,
        String forwardingId) {

    /** Field 90's length in digits. */
    public static final int LENGTH = 42;

    public OriginalDataElements {
        Objects.requireNonNull(transmissionDateTime, "transmissionDateTime");
        Objects.requireNonNull(acquirerId, "acquirerId");
        Objects.requireNonNull(forwardingId, "forwardingId");
        if (transmissionDateTime.length() != 10 || !transmissionDateTime.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("transmissionDateTime: expected MMDDhhmmss");
        }
        if (acquirerId.length() > 11 || forwardingId.length() > 11) {
            throw new IllegalArgumentException("institution ids: expected at most 11 digits");
        }
    }

    /** Parses the 42 digits of field 90. */
    public static OriginalDataElements parse(CharSequence field90) {
        String text = field90.toString();
        if (text.length() != LENGTH || !text.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("field 90: expected 42 digits, found " + text.length() + " characters");
        }
        return new OriginalDataElements(Integer.parseInt(text.substring(0, 4)), Integer.parseInt(text.substring(4, 10)),
                text.substring(10, 20), stripZeros(text.substring(20, 31)), stripZeros(text.substring(31, 42)));
    }

    /** The 42 digits of field 90. */
    public String format() {
        return String.format(Locale.ROOT, "%04d%06d%s%11s%11s", mti, stan, transmissionDateTime, acquirerId, forwardingId)
                .replace(' ', '0');
    }

    /** The original transmission date. */
    public MonthDay date() {
        return MonthDay.of(Integer.parseInt(transmissionDateTime.substring(0, 2)),
                Integer.parseInt(transmissionDateTime.substring(2, 4)));
    }

    private static String stripZeros(String digits) {
        String stripped = digits.replaceFirst("^0+", "");
        return stripped.isEmpty() ? "0" : stripped;
    }
}
