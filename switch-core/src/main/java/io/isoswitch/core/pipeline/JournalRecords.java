package io.isoswitch.core.pipeline;

import io.isoswitch.security.Hsm;
import io.isoswitch.security.SecureKey;
import io.isoswitch.settlement.journal.CardReference;
import io.isoswitch.settlement.journal.JournalRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.function.Supplier;

/**
 * Turns an {@link Authorization} into what the journal stores: the card as an HMAC token, the
 * masked PAN and the PAN encrypted with AES-GCM under the data key (settlement needs it for
 * clearing files); never the PIN block, track data or CVV.
 */
public final class JournalRecords {
    private static final long MINUTES_A_DAY = 24 * 60;

    private final String nodeId;
    private final Supplier<LocalDate> businessDate;
    private final Hsm hsm;
    private final SecureKey tokenKey;
    private final SecureKey dataKey;
    private final int lookBackDays;
    private final Clock hostClock;

    /**
     * @param nodeId       this node (crash recovery resolves its own records)
     * @param businessDate the switch's current business date
     * @param hsm          computes tokens and encrypts PANs
     * @param tokenKey     the HMAC key for PAN tokens
     * @param dataKey      the data key for PANs at rest
     * @param maxKeyAge    how long a terminal's working keys live ({@code pipeline.maxKeyAgeMinutes}):
     *                     a request that names no date is looked for as a repeat on the business dates
     *                     that many days (rounded up) and one more before its own ({@link #earliestDateOfARepeat})
     * @param hostClock    the host's clock in its business zone: the local time of a request that names
     *                     none (UnionPay), which its answer tells the terminal in fields 12 and 13
     */
    public JournalRecords(String nodeId, Supplier<LocalDate> businessDate, Hsm hsm, SecureKey tokenKey, SecureKey dataKey,
                          Duration maxKeyAge, Clock hostClock) {
        if (maxKeyAge.isNegative() || maxKeyAge.isZero()) {
            throw new IllegalArgumentException("maxKeyAge: expected a positive duration, found " + maxKeyAge);
        }
        this.lookBackDays = (int) Math.min(Integer.MAX_VALUE - 1L, (maxKeyAge.toMinutes() + MINUTES_A_DAY - 1) / MINUTES_A_DAY) + 1;
        this.nodeId = nodeId;
        this.businessDate = businessDate;
        this.hsm = hsm;
        this.tokenKey = tokenKey;
        this.dataKey = dataKey;
        this.hostClock = hostClock;
    }

    /** The node whose records these are. */
    String nodeId() {
        return nodeId;
    }

    /** The journal request for {@code a}, without its issuer leg. */
    public JournalRequest request(Authorization a) {
        LocalDate today = businessDate.get();
        LocalDateTime named = TerminalDates.resolveNamed(a.localDateTime(), today);
        // a request that names no date is keyed by the business date it arrives on; its local time is
        // the host's, which its answer gives the terminal (12 and 13) and the clearing files show
        // (before, midnight of the business date)
        LocalDateTime local = named != null ? named : LocalDateTime.now(hostClock);
        LocalDate transactionDate = named != null ? named.toLocalDate() : today;
        CardReference card = a.pan() == null
                ? CardReference.NONE
                : new CardReference(hsm.panTokenBytes(tokenKey, a.pan()), a.maskedPan(),
                        hsm.encryptPan(dataKey, a.pan()), dataKey.kcv());
        return new JournalRequest(nodeId, today, a.terminal().id(), a.merchant().id(), a.stan(), transactionDate,
                a.mti(), local, a.type().name(), a.processingCode(), a.amountMinor(),
                a.currency() == null ? a.merchant().currency() : a.currency(), card, null, null);
    }

    /**
     * How many business dates before its own a request that names no date is looked for (as a repeat,
     * or as the original of a reversal): {@link #earliestDateOfARepeat}.
     */
    int lookBackDays() {
        return lookBackDays;
    }

    /**
     * The earliest transaction date an earlier request {@code record} repeats can be journaled under,
     * or null where only its own date can hold one: where it names its date (ISO fields 12/13 or 7).
     * A request that names none (a UnionPay request) is keyed by the business date it arrives on, so
     * the same request sent again after the cutover (a late retransmission, or the same MACed frame
     * replayed) is keyed by the next date: it is looked for on the dates before. A replay verifies only
     * under the keys it was MACed under, which live {@code maxKeyAge}: it is that many days late at
     * most, one more for an early close (a cutover ahead of the schedule) within them. A terminal's own
     * resend comes sooner. A STAN is used once in that window (a terminal numbers its requests up to
     * 999999 before it starts again), so another transaction found under it there is refused 94.
     */
    LocalDate earliestDateOfARepeat(Authorization a, JournalRequest record) {
        return TerminalDates.namesADate(a.localDateTime(), record.businessDate()) ? null : record.transactionDate().minusDays(lookBackDays);
    }
}
