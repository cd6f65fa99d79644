package io.isoswitch.core.pipeline;

/**
 * The terminal's PIN block could not be re-encrypted for the issuer (it did not decrypt to a
 * valid block, or no zone PIN key is there): the request is declined before it is sent.
 */
final class PinTranslationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    PinTranslationException(String reason) {
        super("PIN translation failed: " + reason, null, false, false);
    }
}
