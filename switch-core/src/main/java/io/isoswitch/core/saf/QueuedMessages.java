package io.isoswitch.core.saf;

import io.isoswitch.core.issuer.RequestWriter;
import io.isoswitch.core.pipeline.IssuerCodes;
import io.isoswitch.core.txn.IccData;
import io.isoswitch.core.txn.TransactionType;
import io.isoswitch.security.Hsm;
import io.isoswitch.security.SecureKey;
import io.isoswitch.settlement.journal.CardReference;
import io.isoswitch.settlement.journal.IssuerLeg;
import io.isoswitch.settlement.journal.JournalRequest;
import io.isoswitch.settlement.saf.SafEntry;
import io.isoswitch.settlement.saf.SafKind;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Rebuilds a queued reversal or advice from the journal record it concerns: the card (the PAN
 * decrypted from its ciphertext at rest), amounts and terminal data, the original's RRN (37), and
 * field 90 naming the original as the issuer saw it (its MTI, the switch's STAN, its transmission
 * time, the acquiring institution). A second delivery is flagged a repeat (0401, 0221, 0121).
 *
 * <p>An advice (of a stand-in approval or a completion advice) is the record itself told to the
 * issuer: its own STAN (sent as field 11 on every attempt), RRN and authorization code; field 90
 * only for a completion, naming its pre-authorization.
 */
final class QueuedMessages {
    private static final DateTimeFormatter TRANSMISSION = DateTimeFormatter.ofPattern("MMddHHmmss").withZone(ZoneOffset.UTC);

    /** What {@link #pan} checks the data key with: digits, no card's number. */
    private static final String PROBE = "0000000000000000";

    private final Hsm hsm;
    private final SecureKey dataKey;
    private final Clock clock;

    QueuedMessages(Hsm hsm, SecureKey dataKey, Clock clock) {
        this.hsm = hsm;
        this.dataKey = dataKey;
        this.clock = clock;
    }

    /** The MTI to send: the queued type, with the repeat flag from the second delivery on. */
    static String mti(SafEntry entry) {
        String base = entry.request().messageType();
        return entry.isRepeat() ? base.substring(0, 3) + "1" : base;
    }

    /**
     * The writer of a queued reversal or advice.
     *
     * @param adviceOriginalEntry for an advice whose record refers to an original (a completion
     *                            advice: the pre-authorization it captures), that original, which
     *                            field 90 names; otherwise null (a stand-in advice carries no field 90)
     */
    RequestWriter writer(SafEntry entry, String acquiringInstitutionId, io.isoswitch.settlement.journal.JournalEntry adviceOriginalEntry) {
        IssuerLeg adviceOriginal = adviceOriginalEntry == null ? null : adviceOriginalEntry.request().issuer();
        JournalRequest original = entry.original().request();
        IssuerLeg leg = original.issuer();
        TransactionType type = TransactionType.valueOf(original.transactionType());
        String pan = pan(original.card());
        boolean reversal = entry.request().kind() == SafKind.REVERSAL;
        // an advice keeps the transmission time its record was given, on every attempt (0220, 0221...):
        // a later reversal names it in field 90 by that time, and issuers know a request by STAN and
        // transmission time (its STAN alone comes round within a day at a million requests)
        String transmission = TRANSMISSION.format(reversal ? clock.instant() : leg.sentAt());
        // field 90 less its last part, the forwarding institution, which the link's stamp gives
        String field90 = reversal
                ? IssuerCodes.originalMti(type, entry.request().messageType()) + leg.switchStan() + TRANSMISSION.format(leg.sentAt())
                        + pad11(acquiringInstitutionId)
                : adviceOriginal == null ? null
                        : IssuerCodes.knownAs(adviceOriginalEntry) + adviceOriginal.switchStan()
                                + TRANSMISSION.format(adviceOriginal.sentAt()) + pad11(acquiringInstitutionId);
        String authCode = !reversal && entry.original().outcome() != null ? entry.original().outcome().authCode() : null;
        // a terminal reversal's chip data (only tags without card data are queued)
        byte[] iccData = reversal ? entry.request().iccData() : null;
        return (w, stamp) -> {
            if (pan != null) {
                w.field(2, pan);
            }
            w.field(3, IssuerCodes.processingCode(type, original.processingCode()));
            w.field(4, entry.request().amountMinor());
            w.field(7, transmission);
            w.field(11, stamp.stan());
            w.field(32, stamp.acquiringInstitutionId());
            if (stamp.forwardingInstitutionId() != null) {
                w.field(33, stamp.forwardingInstitutionId());
            }
            w.field(37, leg.switchRrn());
            if (authCode != null) {
                w.field(38, authCode);
            }
            if (reversal && entry.request().reasonCode() != null) {
                w.field(39, entry.request().reasonCode().length() == 2 ? entry.request().reasonCode() : "17");
            }
            w.field(41, original.terminalId());
            w.field(42, original.merchantId());
            w.field(49, entry.request().currency());
            if (iccData != null && IccData.binary(w.spec().field(IccData.FIELD))) {
                w.bytes(IccData.FIELD, iccData);
            }
            if (field90 != null) {
                // the original's forwarding institution (field 33) closes field 90: zeros when none is sent
                w.field(90, field90 + pad11(stamp.forwardingInstitutionId() == null ? "0" : stamp.forwardingInstitutionId()));
            }
        };
    }

    /**
     * The card's PAN, decrypted, or null when the record keeps none. Whose failure it is when it
     * does not decrypt: the key's ({@link DataKeyUnavailableException#foreign}) when the card was
     * encrypted under another data key than this node's (its {@code dataKeyId}, the key's check
     * value): only the entries under that key fail; the node's ({@link DataKeyUnavailableException})
     * when this node has no data key or its key does not work (it cannot encrypt and decrypt a probe:
     * a key block the HSM cannot load, an HSM that fails): every entry would fail; the entry's own
     * (the HSM's exception, as thrown) when its ciphertext does not decrypt under the very key that
     * encrypted it while that key works.
     */
    String pan(CardReference card) {
        byte[] ciphertext = card.panCiphertext();
        if (ciphertext == null) {
            return null;
        }
        if (dataKey == null) {
            throw new DataKeyUnavailableException("the card is encrypted under data key " + card.dataKeyId()
                    + ", this node holds none");
        }
        if (!dataKey.kcv().equals(card.dataKeyId())) {
            throw DataKeyUnavailableException.foreign("the card is encrypted under data key " + card.dataKeyId()
                    + ", this node holds " + dataKey.kcv());
        }
        try {
            return hsm.decryptPan(dataKey, ciphertext);
        } catch (RuntimeException e) {
            RuntimeException keyFailure = keyFailure();
            if (keyFailure != null) {
                throw new DataKeyUnavailableException("data key " + dataKey.kcv() + " does not work on this node ("
                        + keyFailure.getClass().getSimpleName() + ")", keyFailure);
            }
            throw e;
        }
    }

    /** Why the data key cannot encrypt and decrypt a probe (no card's number), or null when it can. */
    private RuntimeException keyFailure() {
        try {
            return PROBE.equals(hsm.decryptPan(dataKey, hsm.encryptPan(dataKey, PROBE))) ? null
                    : new IllegalStateException("the probe did not decrypt to itself");
        } catch (RuntimeException e) {
            return e;
        }
    }

    private static String pad11(String digits) {
        return "0".repeat(Math.max(0, 11 - digits.length())) + digits;
    }
}
