package io.isoswitch.settlement;

/**
 * Base of every failure the settlement module reports. Unchecked; messages name the operation
 * and never carry card data.
 */
public abstract class JournalException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    protected JournalException(String message, Throwable cause) {
        super(message, cause);
    }
}
