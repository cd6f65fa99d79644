package io.isoswitch.security;

/**
 * Which DUKPT working key to derive. TDES DUKPT applies a variant to the transaction key; AES DUKPT
 * derives with the X9.24-3 key usage indicator shown.
 */
public enum DukptKeyUsage {
    /** PIN encryption (AES usage 1000). */
    PIN(0x1000),
    /** MAC on a request, terminal to host (AES 2000, MAC generation). */
    MAC_REQUEST(0x2000),
    /** MAC on a response, host to terminal (AES 2001, MAC verification). */
    MAC_RESPONSE(0x2001),
    /** Data encryption on a request (AES 3000, encrypt). */
    DATA_REQUEST(0x3000),
    /** Data encryption on a response (AES 3001, decrypt). */
    DATA_RESPONSE(0x3001);

    private final int aesUsage;

    DukptKeyUsage(int aesUsage) {
        this.aesUsage = aesUsage;
    }

    /** The X9.24-3 key usage indicator. */
    public int aesUsage() {
        return aesUsage;
    }
}
