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
