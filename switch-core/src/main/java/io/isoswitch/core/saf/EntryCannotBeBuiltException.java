package io.isoswitch.core.saf;

/**
 * A queued entry's message could not be built (its card no longer decrypts, a field will not
 * encode): the entry's own failure, as opposed to one of the issuer link's (no connection, no
 * answer, a MAC the link cannot compute). Only this kind lets the entry wait for its retry alone and,
 * past its retry stop, be abandoned; anything else that fails a send is the link's. The message
 * names only the cause's type, since the cause's own text could name what the entry holds.
 */
final class EntryCannotBeBuiltException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    EntryCannotBeBuiltException(RuntimeException cause) {
        super("the queued message cannot be built (" + cause.getClass().getSimpleName() + ")", cause);
    }
}
