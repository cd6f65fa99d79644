package io.isoswitch.sim.terminal;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.sim.wire.OriginalDataElements;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * Builds a terminal's requests in its dialect. The ISO 8583:1987 dialects put network codes in
 * field 70 and original data in field 90; {@code cup-pos} puts the transaction type, batch and
 * network code in field 60 and original batch, trace and date in field 61 (cup-pos.md 4 and 5).
 * Public for the load generator, which builds each request kind once and re-stamps it.
 */
public final class TerminalMessages {
    private static final DateTimeFormatter MMDD = DateTimeFormatter.ofPattern("MMdd", Locale.ROOT);
    private static final DateTimeFormatter HHMMSS = DateTimeFormatter.ofPattern("HHmmss", Locale.ROOT);
    private static final DateTimeFormatter YYMM = DateTimeFormatter.ofPattern("uuMM", Locale.ROOT);

    /** An approved transaction a later one refers to. */
    public record Original(TerminalOperation operation, String mti, int stan, String transmission, String batch, String rrn,
            String approvalCode, long amountMinor, CardData card) {
    }

    private final TerminalConfig config;
    private final TerminalDialect dialect;

    public TerminalMessages(TerminalConfig config) {
        this.config = config;
        this.dialect = config.dialect();
    }

    /** Sign-on (001), sign-off (002) or echo (301). */
    public IsoMessage network(String code, int stan, String batch, ZonedDateTime now) {
        if (dialect.isCup()) {
            String mti = code.equals("001") ? "0800" : "0820";
            // sign-on asks for double-length keys: NMIC 003 (cup-pos.md 7.1)
            return base(mti, stan, now).set(60, "00" + batch + (code.equals("001") ? "003" : code));
        }
        return base("0800", stan, now).set(70, code);
    }

    /**
     * A UnionPay start-up download message (cup-pos.md 7.1): 0800 or 0820 with 60.3 {@code nmic}
     * and, where the step has one, field 62.
     */
    public IsoMessage download(String mti, String nmic, int stan, String batch, byte[] field62, ZonedDateTime now) {
        IsoMessage m = base(mti, stan, now).set(60, "00" + batch + nmic);
        return field62 == null ? m : m.set(62, field62);
    }

    /** A purchase, refund, pre-authorization or balance inquiry with a card, or a void or completion of an original. */
    public IsoMessage financial(TerminalOperation op, int stan, CardData card, long amount, Original original, String batch,
            ZonedDateTime now) {
        boolean cup = dialect.isCup();
        String mti = switch (op) {
            case PRE_AUTH, PRE_AUTH_VOID -> "0100";
            case COMPLETION -> cup ? "0200" : "0220";
            case REFUND -> cup ? "0220" : "0200";
            default -> "0200";
        };
        String processingCode = switch (op) {
            case PURCHASE, COMPLETION -> "000000";
            case PRE_AUTH -> cup ? "030000" : "000000";
            case VOID -> cup ? "200000" : "020000";
            case PRE_AUTH_VOID -> cup ? "200000" : "020000";
            case REFUND -> "200000";
            case BALANCE_INQUIRY -> "310000";
            default -> throw new IllegalArgumentException("operation: " + op + " is not a card transaction");
        };
        IsoMessage m = base(mti, stan, now).set(2, card.pan()).set(3, processingCode);
        if (op != TerminalOperation.BALANCE_INQUIRY) {
            m.set(4, String.format(Locale.ROOT, "%012d", amount));
        }
        m.set(14, card.expiry().format(YYMM)).set(22, card.pin().isEmpty() ? "022" : "021");
        boolean preAuthFamily = op == TerminalOperation.PRE_AUTH || op == TerminalOperation.PRE_AUTH_VOID
                || op == TerminalOperation.COMPLETION;
        m.set(25, preAuthFamily ? "06" : "00");
        if (original == null) {
            m.set(35, card.track2().format(cup || dialect == TerminalDialect.ISO87_BINARY ? 'D' : '='));
        }
        if (original != null) {
            m.set(37, original.rrn());
            if (!original.approvalCode().isEmpty()) {
                m.set(38, original.approvalCode());
            }
        }
        m.set(49, String.format(Locale.ROOT, "%03d", config.currency()));
        if (cup) {
            m.set(53, card.pin().isEmpty() ? "0600000000000000" : "2600000000000000");
            m.set(60, cupType(op) + batch + "000");
            if (original != null) {
                m.set(61, original.batch() + String.format(Locale.ROOT, "%06d", original.stan())
                        + original.transmission().substring(0, 4));
            }
        } else if (original != null) {
            m.set(90, new OriginalDataElements(Integer.parseInt(original.mti()), original.stan(), original.transmission(),
                    "0", "0").format());
        }
        return m;
    }

    /**
     * The reversal of {@code request} (which got no answer, or a bad one): its identifying fields,
     * the reason in field 39, without track or PIN. UnionPay reverses with the original's trace;
     * the 1987 dialects take a new STAN and name the original in field 90.
     */
    IsoMessage reversal(IsoMessage request, int newStan, String reason, ZonedDateTime now) {
        boolean cup = dialect.isCup();
        IsoMessage m = new IsoMessage("0400");
        for (int field : new int[] {2, 3, 4, 14, 22, 25, 41, 42, 49, 53, 60, 61}) {
            if (request.has(field)) {
                m.set(field, request.getString(field));
            }
        }
        m.set(11, cup ? request.getString(11) : String.format(Locale.ROOT, "%06d", newStan));
        m.set(39, reason);
        if (!cup) {
            m.set(7, transmission(now)).set(12, now.format(HHMMSS)).set(13, now.format(MMDD));
            m.set(90, new OriginalDataElements(Integer.parseInt(request.mti()), Integer.parseInt(request.getString(11)),
                    request.getString(7), "0", "0").format());
        }
        return m;
    }

    /** Settlement (0500) of the batch with the terminal's totals. */
    IsoMessage settlement(int stan, String batch, CurrencyTotals totals, ZonedDateTime now) {
        return base("0500", stan, now).set(48, SettlementTotals.format(totals, '0'))
                .set(49, String.format(Locale.ROOT, "%03d", config.currency()))
                .set(60, dialect.isCup() ? "00" + batch + "201" : batch + "201");
    }

    /** One batch upload (0320) of up to 8 approved transactions (cup-pos.md 4.3, code 201). */
    IsoMessage uploadDetail(int stan, String batch, List<Original> records, ZonedDateTime now) {
        StringBuilder field48 = new StringBuilder(String.format(Locale.ROOT, "%02d", records.size()));
        for (Original record : records) {
            field48.append("00").append(String.format(Locale.ROOT, "%06d", record.stan()))
                    .append(String.format(Locale.ROOT, "%20s", record.card().pan()).replace(' ', '0'))
                    .append(String.format(Locale.ROOT, "%012d", record.amountMinor()));
        }
        return base("0320", stan, now).set(48, field48.toString())
                .set(60, dialect.isCup() ? "00" + batch + "201" : batch + "201");
    }

    /** The closing batch upload (0320, code 202) with the count uploaded. */
    IsoMessage uploadEnd(int stan, String batch, int count, ZonedDateTime now) {
        return base("0320", stan, now).set(48, String.format(Locale.ROOT, "%04d", count))
                .set(60, dialect.isCup() ? "00" + batch + "202" : batch + "202");
    }

    private IsoMessage base(String mti, int stan, ZonedDateTime now) {
        IsoMessage m = new IsoMessage(mti);
        if (!dialect.isCup()) {
            m.set(7, transmission(now));
        }
        return m.set(11, String.format(Locale.ROOT, "%06d", stan)).set(12, now.format(HHMMSS)).set(13, now.format(MMDD))
                .set(41, config.terminalId()).set(42, config.merchantId());
    }

    static String transmission(ZonedDateTime now) {
        return now.format(MMDD) + now.format(HHMMSS);
    }

    /** Field 60.1 of each transaction (cup-pos.md 5). */
    private static String cupType(TerminalOperation op) {
        return switch (op) {
            case BALANCE_INQUIRY -> "01";
            case PRE_AUTH -> "10";
            case COMPLETION -> "20";
            case PURCHASE -> "22";
            case VOID -> "23";
            case PRE_AUTH_VOID -> "11";
            case REFUND -> "25";
            default -> "00";
        };
    }
}
