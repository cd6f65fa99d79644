package io.isoswitch.codec.tlv;

/**
 * One entry of the EMV tag dictionary.
 *
 * @param tag       the tag as an int, e.g. {@code 0x9F26}
 * @param name      the EMV name, e.g. "Application Cryptogram"
 * @param sensitive whether the value is card data (PAN, track, cardholder name, expiry) and must be
 *                  masked when described
 */
public record EmvTag(int tag, String name, boolean sensitive) {
    /** Checks the tag is well formed and the name present. */
    public EmvTag {
        if (!BerTags.isWellFormed(tag)) {
            throw new IllegalArgumentException("not a well-formed BER tag: " + BerTags.toHex(tag));
        }
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name of tag " + BerTags.toHex(tag) + " is blank");
        }
    }

    /** The tag as uppercase hex, e.g. {@code 9F26}. */
    public String hex() {
        return BerTags.toHex(tag);
    }
}
