package io.isoswitch.security;

/**
 * A PIN block did not decipher to a valid PIN in the format claimed (wrong key, wrong PAN or wrong
 * format). The message says which check failed, never the block or the PIN.
 */
public final class PinBlockException extends HsmException {
    private static final long serialVersionUID = 1L;

    public PinBlockException(String message) {
        super(message);
    }
}
