package io.isoswitch.core.session;

import io.isoswitch.security.SecureKey;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A signed-on terminal's working keys (handles under the LMK, never clear) and when they were
 * issued. Keys are issued fresh at every sign-on and retire after a number of uses or an age, after
 * which the terminal must sign on again.
 */
public final class TerminalSession {
    private final String terminalId;
    private final SecureKey pinKey;
    private final SecureKey macKey;
    private final SecureKey dataKey;
    private final Instant issuedAt;
    private final String batchNumber;
    private final long generation;
    private final AtomicLong uses = new AtomicLong();

    /**
     * @param terminalId  field 41
     * @param pinKey      the TPK the terminal encrypts PINs under
     * @param macKey      the TAK the terminal MACs requests with
     * @param dataKey     the TDK for track encryption (UnionPay), or null
     * @param issuedAt    when the keys were issued
     * @param batchNumber the terminal's open batch (field 60.2 for UnionPay), six digits
     */
    public TerminalSession(String terminalId, SecureKey pinKey, SecureKey macKey, SecureKey dataKey, Instant issuedAt, String batchNumber) {
        this(terminalId, pinKey, macKey, dataKey, issuedAt, batchNumber, 0);
    }

    /**
     * As the constructor above, with the sign-on's place among the terminal's sign-ons at every node
     * ({@code generation}, from the database; 0 where sign-ons are not shared): a session of an
     * older generation ends when a node learns of a newer one.
     */
    public TerminalSession(String terminalId, SecureKey pinKey, SecureKey macKey, SecureKey dataKey, Instant issuedAt, String batchNumber,
                           long generation) {
        this.generation = generation;
        this.terminalId = terminalId;
        this.pinKey = pinKey;
        this.macKey = macKey;
        this.dataKey = dataKey;
        this.issuedAt = issuedAt;
        this.batchNumber = batchNumber;
    }

    /** Which of the terminal's sign-ons (counted at every node) issued these keys; 0 where not shared. */
    public long generation() {
        return generation;
    }

    public String terminalId() {
        return terminalId;
    }

    public SecureKey pinKey() {
        return pinKey;
    }

    public SecureKey macKey() {
        return macKey;
    }

    public SecureKey dataKey() {
        return dataKey;
    }

    public Instant issuedAt() {
        return issuedAt;
    }

    public String batchNumber() {
        return batchNumber;
    }

    /** Counts one use of the keys and returns the count so far. */
    public long use() {
        return uses.incrementAndGet();
    }

    public long uses() {
        return uses.get();
    }

    @Override
    public String toString() {
        return "TerminalSession[terminal=" + terminalId + ", tpk=" + pinKey.kcv() + ", tak=" + macKey.kcv() + ", issuedAt=" + issuedAt + "]";
    }
}
