package io.isoswitch.core.batch;

/**
 * A settlement or batch upload field that does not read as its layout says (cup-pos.md 4.3):
 * answered 30. Names the field and what was expected, never the field's content (a batch upload
 * carries PANs).
 */
public final class BatchFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BatchFormatException(int field, String expected) {
        super("field " + field + ": " + expected);
    }
}
