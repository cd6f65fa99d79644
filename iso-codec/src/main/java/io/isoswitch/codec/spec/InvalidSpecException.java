package io.isoswitch.codec.spec;

import io.isoswitch.codec.IsoCodecException;

/** A spec (file or code) that cannot describe a message; the message names the dialect and field. */
public final class InvalidSpecException extends IsoCodecException {
    private static final long serialVersionUID = 1L;

    /**
     * @param fieldPath the field (or spec-level key such as {@code "bitmap"}) at fault
     * @param problem what is wrong, e.g. "maxLength 1000 does not fit an LLL prefix (at most 999)"
     */
    public InvalidSpecException(String fieldPath, String problem) {
        super(fieldPath, -1, problem);
    }
}
