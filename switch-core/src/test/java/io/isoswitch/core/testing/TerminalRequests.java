package io.isoswitch.core.testing;

import io.isoswitch.codec.IsoMessage;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The financial requests of docs/terminal-protocol.md in one dialect, as a terminal builds them
 * (unMACed; {@link TerminalSide#send} adds the MAC). ISO terminals say what a request is with the
 * MTI and processing code; UnionPay terminals with field 60.1 (purchase 22, balance 01, pre-auth
 * 10, refund 25).
 */
public final class TerminalRequests {
    private static final DateTimeFormatter MMDD = DateTimeFormatter.ofPattern("MMdd", Locale.ROOT);
    private static final DateTimeFormatter HHMMSS = DateTimeFormatter.ofPattern("HHmmss", Locale.ROOT);

    private final TerminalDialect dialect;
    private final String terminalId;
    private final String batch;

    public TerminalRequests(TerminalDialect dialect, String terminalId, String batch) {
        this.dialect = dialect;
        this.terminalId = terminalId;
        this.batch = batch;
    }

    /**
     * The terminal's reversal (0400, response code 98) of {@code original} under a new STAN:
     * the original's card, amount, date and ids, and field 90 naming it (MTI, STAN, date, time).
     * Dialect-free: the fields it copies are the original's own.
     */
    public static IsoMessage reversalOf(IsoMessage original, String stan) {
        IsoMessage reversal = new IsoMessage("0400");
        for (int field : new int[] {2, 3, 4, 12, 13, 14, 22, 41, 42, 49}) {
            if (original.has(field)) {
                reversal.set(field, original.getString(field));
            }
        }
        String originalData = original.mti() + original.getString(11) + original.getString(13) + original.getString(12)
                + "0".repeat(22);
        return reversal.set(11, stan).set(39, "98").set(90, originalData);
    }

    /**
     * A UnionPay terminal's reversal (0400) of {@code request}: it repeats the original's own STAN,
     * field 60 and the fields that name the sale, reason 98 (no answer); no field 90.
     */
    public static IsoMessage unionPayReversalOf(IsoMessage request) {
        IsoMessage reversal = new IsoMessage("0400");
        for (int field : new int[] {2, 3, 4, 11, 14, 22, 25, 41, 42, 49, 60}) {
            if (request.has(field)) {
                reversal.set(field, request.getString(field));
            }
        }
        return reversal.set(39, "98");
    }

    /** The repeat (0401) of {@link #reversalOf}: what a terminal sends when the reversal's answer did not come. */
    public static IsoMessage reversalRepeatOf(IsoMessage original, String stan) {
        return reversalOf(original, stan).mti("0401");
    }

    /** A card as the terminal reads it. */
    public record Card(String pan, String expiryYymm) {
    }

    public IsoMessage purchase(Card card, byte[] pinBlock, String stan, long amountMinor) {
        return withPin(base("0200", "000000", "22", card, stan).set(4, amount(amountMinor)), pinBlock);
    }

    public IsoMessage balanceInquiry(Card card, byte[] pinBlock, String stan) {
        return withPin(base("0200", "310000", "01", card, stan), pinBlock);
    }

    public IsoMessage preAuthorization(Card card, byte[] pinBlock, String stan, long amountMinor) {
        return withPin(base("0100", dialect.cup() ? "030000" : "000000", "10", card, stan).set(4, amount(amountMinor)), pinBlock);
    }

    /** A refund of an earlier purchase whose RRN (field 37 of its answer) was {@code originalRrn}. */
    public IsoMessage refund(Card card, String stan, long amountMinor, String originalRrn) {
        return base(dialect.cup() ? "0220" : "0200", "200000", "25", card, stan).set(4, amount(amountMinor)).set(37, originalRrn);
    }

    /**
     * A purchase void naming the purchase (or, for ISO terminals, the completion) whose answer
     * carried {@code originalRrn}: ISO 0200 processing code 02, UnionPay 0200 60.1 = 23.
     */
    public IsoMessage purchaseVoid(Card card, String stan, long amountMinor, String originalRrn, String originalStan) {
        return linked(base("0200", dialect.cup() ? "200000" : "020000", "23", card, stan), amountMinor, originalRrn, null, originalStan);
    }

    /** A pre-authorization void: ISO 0100 processing code 02, UnionPay 0100 60.1 = 11 (F25 06). */
    public IsoMessage preAuthVoid(Card card, String stan, long amountMinor, String originalRrn, String originalAuth, String originalStan) {
        return linked(preAuthFamily(base("0100", dialect.cup() ? "200000" : "020000", "11", card, stan)), amountMinor, originalRrn,
                originalAuth, originalStan);
    }

    /**
     * A completion of a pre-authorization: UnionPay's online completion (0200, 60.1 = 20); ISO
     * terminals have none online and send the advice ({@link #completionAdvice}).
     */
    public IsoMessage completion(Card card, String stan, long amountMinor, String originalRrn, String originalAuth, String originalStan) {
        if (!dialect.cup()) {
            return completionAdvice(card, stan, amountMinor, originalRrn, originalAuth, originalStan);
        }
        return linked(preAuthFamily(base("0200", "000000", "20", card, stan)), amountMinor, originalRrn, originalAuth, originalStan);
    }

    /** A completion advice: ISO 0220 processing code 00, UnionPay 0220 60.1 = 24. */
    public IsoMessage completionAdvice(Card card, String stan, long amountMinor, String originalRrn, String originalAuth,
                                       String originalStan) {
        return linked(preAuthFamily(base("0220", "000000", "24", card, stan)), amountMinor, originalRrn, originalAuth, originalStan);
    }

    /** A completion void: UnionPay 0200 60.1 = 21; ISO terminals void a completion as a purchase. */
    public IsoMessage completionVoid(Card card, String stan, long amountMinor, String originalRrn, String originalAuth,
                                     String originalStan) {
        if (!dialect.cup()) {
            return purchaseVoid(card, stan, amountMinor, originalRrn, originalStan);
        }
        return linked(preAuthFamily(base("0200", "200000", "21", card, stan)), amountMinor, originalRrn, originalAuth, originalStan);
    }

    private IsoMessage preAuthFamily(IsoMessage m) {
        return dialect.cup() ? m.set(25, "06") : m;
    }

    /** Amount, original RRN (37), auth code (38) and, for UnionPay, field 61: batch, trace, date. */
    private IsoMessage linked(IsoMessage m, long amountMinor, String originalRrn, String originalAuth, String originalStan) {
        m.set(4, amount(amountMinor));
        if (originalRrn != null) {
            m.set(37, originalRrn);
        }
        if (originalAuth != null) {
            m.set(38, originalAuth);
        }
        if (dialect.cup() && originalStan != null) {
            m.set(61, batch + originalStan + LocalDateTime.now(ZoneOffset.UTC).format(MMDD));
        }
        return m;
    }

    private IsoMessage base(String mti, String processingCode, String cupCode, Card card, String stan) {
        IsoMessage m = new IsoMessage(mti).set(2, card.pan()).set(3, processingCode).set(11, stan).set(14, card.expiryYymm())
                .set(22, "021").set(41, terminalId).set(42, SwitchFixture.MERCHANT).set(49, "156");
        if (dialect.cup()) {
            m.set(25, "00").set(60, cupCode + batch + "000");
        } else {
            LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC);
            m.set(12, now.format(HHMMSS)).set(13, now.format(MMDD));
        }
        return m;
    }

    private static IsoMessage withPin(IsoMessage m, byte[] pinBlock) {
        return pinBlock == null ? m : m.set(52, pinBlock);
    }

    private static String amount(long minor) {
        return String.format(Locale.ROOT, "%012d", minor);
    }
}
