package io.isoswitch.security;

import java.util.Set;

/** A key was handed to an operation it may not serve (a TAK asked to encrypt a PIN). */
public final class KeyUsageException extends HsmException {
    private static final long serialVersionUID = 1L;

    public KeyUsageException(String operation, String role, KeyKind found, Set<KeyKind> expected) {
        super(operation + ": " + role + " must be one of " + expected + " but is a " + found);
    }

    public KeyUsageException(String message) {
        super(message);
    }
}
