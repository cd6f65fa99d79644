package io.isoswitch.codec;

import java.util.Optional;

/**
 * A frame that could not be decoded, as a value that flows on through the switch: it keeps the MTI
 * and STAN when they were readable so that a response with code 30 (format error) can still be
 * built, and a reason that is safe to log (no field content).
 *
 * @param mti the MTI if it was readable
 * @param stan field 11 if it was readable
 * @param fieldPath where decoding failed (see {@link IsoCodecException#fieldPath()})
 * @param reason the exception's message, free of card data
 */
public record DecodeFailure(Optional<String> mti, Optional<String> stan, String fieldPath, String reason) {

    /** Builds the failure value from the codec's exception. */
    public static DecodeFailure of(IsoCodecException error) {
        return new DecodeFailure(Optional.ofNullable(error.mti()), Optional.ofNullable(error.stan()),
                error.fieldPath(), error.getMessage());
    }

    /** The MTI of the response to this failed request (0200 to 0210), if the MTI was read. */
    public Optional<String> responseMti() {
        return mti.filter(m -> m.length() == 4 && Character.isDigit(m.charAt(2)))
                .map(m -> m.substring(0, 2) + (char) ((m.charAt(2) - '0' + 1) % 10 + '0') + m.charAt(3));
    }
}
