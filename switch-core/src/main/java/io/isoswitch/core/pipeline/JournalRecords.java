package io.isoswitch.core.pipeline;

import io.isoswitch.security.Hsm;
import io.isoswitch.security.SecureKey;
import io.isoswitch.settlement.journal.CardReference;
import io.isoswitch.settlement.journal.JournalRequest;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.function.Supplier;

/**
 * Turns an {@link Authorization} into what the journal stores: the card as an HMAC token, the
 * masked PAN and the PAN encrypted with AES-GCM under the data key (settlement needs it for
 * clearing files); never the PIN block, track data or CVV.
 */
public final class JournalRecords {
    private final String nodeId;
    private final Supplier<LocalDate> businessDate;
    private final Hsm hsm;
    private final SecureKey tokenKey;
    private final SecureKey dataKey;

    /**
     * @param nodeId       this node (crash recovery resolves its own records)
     * @param businessDate the switch's current business date
     * @param hsm          computes tokens and encrypts PANs
     * @param tokenKey     the HMAC key for PAN tokens
     * @param dataKey      the data key for PANs at rest
     */
    public JournalRecords(String nodeId, Supplier<LocalDate> businessDate, Hsm hsm, SecureKey tokenKey, SecureKey dataKey) {
        this.nodeId = nodeId;
        this.businessDate = businessDate;
        this.hsm = hsm;
        this.tokenKey = tokenKey;
        this.dataKey = dataKey;
    }

    /** The node whose records these are. */
    String nodeId() {
        return nodeId;
    }

    /** The journal request for {@code a}, without its issuer leg. */
    public JournalRequest request(Authorization a) {
        LocalDate today = businessDate.get();
        LocalDateTime local = TerminalDates.resolve(a.localDateTime(), today);
        CardReference card = a.pan() == null
                ? CardReference.tokenOnly(new byte[32], "none")
                : new CardReference(hsm.panTokenBytes(tokenKey, a.pan()), a.maskedPan(),
                        hsm.encryptPan(dataKey, a.pan()), dataKey.kcv());
        return new JournalRequest(nodeId, today, a.terminal().id(), a.merchant().id(), a.stan(), local.toLocalDate(),
                a.mti(), local, a.type().name(), a.processingCode(), a.amountMinor(),
                a.currency() == null ? a.merchant().currency() : a.currency(), card, null, null);
    }


}
