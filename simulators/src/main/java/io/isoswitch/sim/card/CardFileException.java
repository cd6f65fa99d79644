package io.isoswitch.sim.card;

/**
 * A card file could not be read: says which data line (1 = first line after the header) and why,
 * never the card data itself.
 */
public final class CardFileException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int line;

    public CardFileException(int line, String problem, Throwable cause) {
        super("card file line " + line + ": " + problem, cause);
        this.line = line;
    }

    /** The data line (1 = first after the header), 0 when the header itself is wrong. */
    public int line() {
        return line;
    }
}
