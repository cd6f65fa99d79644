package io.isoswitch.security;

/** A TR-31 key block is malformed, or does not authenticate under the key meant to protect it. */
public final class KeyBlockException extends HsmException {
    private static final long serialVersionUID = 1L;

    public KeyBlockException(String message) {
        super(message);
    }
}
