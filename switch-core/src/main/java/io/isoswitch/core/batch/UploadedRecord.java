package io.isoswitch.core.batch;

/**
 * One transaction of a batch upload as read from field 48. Holds a PAN in clear only until the
 * handler turns it into a token and a masked PAN; {@code toString} never shows it.
 *
 * @param cardFlag    {@code 00} CUP, {@code 01} foreign
 * @param stan        the trace number, six digits
 * @param pan         the PAN
 * @param amountMinor the amount in minor units
 */
public record UploadedRecord(String cardFlag, String stan, String pan, long amountMinor) {
    /** The PAN as first 6 and last 4. */
    public String maskedPan() {
        return pan.substring(0, 6) + "*".repeat(pan.length() - 10) + pan.substring(pan.length() - 4);
    }

    @Override
    public String toString() {
        return "UploadedRecord[stan=" + stan + ", card=" + maskedPan() + ", amountMinor=" + amountMinor + "]";
    }
}
