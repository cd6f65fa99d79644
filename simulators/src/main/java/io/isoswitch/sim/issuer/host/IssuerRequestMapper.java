package io.isoswitch.sim.issuer.host;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.security.HsmException;
import io.isoswitch.sim.card.CardAccount;
import io.isoswitch.sim.issuer.AuthorizationRequest;
import io.isoswitch.sim.issuer.CvvCheck;
import io.isoswitch.sim.issuer.IssuerBank;
import io.isoswitch.sim.issuer.MessageClass;
import io.isoswitch.sim.issuer.OriginalData;
import io.isoswitch.sim.issuer.PinCheck;
import io.isoswitch.sim.ledger.RequestReference;
import io.isoswitch.sim.wire.OriginalDataElements;
import io.isoswitch.sim.wire.Track2;
import java.time.Clock;
import java.time.MonthDay;
import java.time.YearMonth;
import java.util.HexFormat;

/**
 * Turns a decoded issuer-link request into an {@link AuthorizationRequest}: reads the fields,
 * verifies the PIN block under the session's ZPK and the track 2 CVV against the card, and parses
 * field 90. A request missing what its class needs is a {@link FormatError} (answered 30).
 */
final class IssuerRequestMapper {

    /** The request lacks or garbles a field; {@code field} names it. */
    static final class FormatError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        FormatError(int field, String problem) {
            super("field " + field + ": " + problem, null, false, false);
        }
    }

    private final IssuerBank bank;
    private final IssuerKeys keys;
    private final Clock clock;

    IssuerRequestMapper(IssuerBank bank, IssuerKeys keys, Clock clock) {
        this.bank = bank;
        this.keys = keys;
        this.clock = clock;
    }

    AuthorizationRequest map(MessageClass messageClass, IsoMessage m, IssuerSession session) {
        Track2 track2 = m.has(35) ? parseTrack2(m.getString(35)) : null;
        String pan = m.has(2) ? m.getString(2) : track2 != null ? track2.pan() : "";
        if (pan.isEmpty() && !messageClass.isReversal()) {
            throw new FormatError(2, "missing (and no track 2)");
        }
        String processingCode = m.has(3) ? m.getString(3) : messageClass.isReversal() ? "000000" : null;
        if (processingCode == null || processingCode.length() != 6) {
            throw new FormatError(3, "expected 6 digits");
        }
        long amount = m.has(4) ? parseLong(m.getString(4), 4) : 0;
        int currency = m.has(49) ? parseInt(m.getString(49), 49) : messageClass.isReversal() ? 0 : -1;
        if (currency < 0) {
            throw new FormatError(49, "missing");
        }
        YearMonth expiry = m.has(14) ? parseExpiry(m.getString(14)) : track2 != null ? track2.expiry() : null;
        CardAccount card = bank.card(pan).orElse(null);
        return new AuthorizationRequest(messageClass, processingCode, amount, currency, pan, expiry,
                pin(m, card, pan, session), cvv(track2, card), reference(m), original(m, messageClass, processingCode));
    }

    private PinCheck pin(IsoMessage m, CardAccount card, String pan, IssuerSession session) {
        if (!m.has(52) || card == null) {
            return PinCheck.NOT_PRESENT;
        }
        if (session.zpk() == null) {
            return PinCheck.ERROR;
        }
        byte[] block = m.getBytes(52) != null ? m.getBytes(52) : HexFormat.of().parseHex(m.getString(52));
        try {
            return keys.verifyPin(session.zpk(), block, pan, card.pinVerification()) ? PinCheck.VERIFIED : PinCheck.WRONG;
        } catch (HsmException e) {
            // a block that does not decipher to a format 0 block is a key or format problem, not a wrong PIN
            return PinCheck.ERROR;
        }
    }

    private static CvvCheck cvv(Track2 track2, CardAccount card) {
        if (track2 == null || card == null) {
            return CvvCheck.NOT_PRESENT;
        }
        return track2.cvv().equals(card.cvv()) ? CvvCheck.MATCH : CvvCheck.MISMATCH;
    }

    private RequestReference reference(IsoMessage m) {
        if (!m.has(32)) {
            throw new FormatError(32, "missing acquiring institution id");
        }
        if (!m.has(11)) {
            throw new FormatError(11, "missing STAN");
        }
        MonthDay date;
        String time = null;
        if (m.has(7)) {
            date = monthDay(m.getString(7), 7);
            time = timeOfDay(m.getString(7), 7);
        } else if (m.has(13)) {
            date = monthDay(m.getString(13), 13);
        } else {
            date = MonthDay.now(clock);
        }
        String rrn = m.has(37) ? m.getString(37).strip() : "";
        return new RequestReference(m.getString(32), parseInt(m.getString(11), 11), rrn, date, time);
    }

    private static OriginalData original(IsoMessage m, MessageClass messageClass, String processingCode) {
        boolean names = messageClass.isReversal() || messageClass.isAdvice() || processingCode.startsWith("02");
        if (!m.has(90) || !names) {
            return null; // without it a reversal is acknowledged and a completion answered 25, by the bank
        }
        try {
            OriginalDataElements ode = OriginalDataElements.parse(m.getString(90));
            return new OriginalData(MessageClass.ofRequestMti(ode.mti()), ode.acquirerId(), ode.stan(), ode.date(),
                    timeOfDay(ode.transmissionDateTime(), 90));
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            throw new FormatError(90, "expected MTI, STAN, date-time, acquirer and forwarding ids");
        }
    }

    private static Track2 parseTrack2(String text) {
        try {
            return Track2.parse(text);
        } catch (IllegalArgumentException e) {
            throw new FormatError(35, "not track 2 data");
        }
    }

    /** YYMM, years 2000-2099. By hand: DateTimeFormatter parsing was 4% of the switch demo's CPU profile. */
    private static YearMonth parseExpiry(String text) {
        if (text.length() != 4) {
            throw new FormatError(14, "expected YYMM");
        }
        int value = 0;
        for (int i = 0; i < 4; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new FormatError(14, "expected YYMM");
            }
            value = value * 10 + (c - '0');
        }
        int month = value % 100;
        if (month < 1 || month > 12) {
            throw new FormatError(14, "expected YYMM");
        }
        return YearMonth.of(2000 + value / 100, month);
    }

    /** hhmmss of an MMDDhhmmss transmission date and time. */
    private static String timeOfDay(String text, int field) {
        String time = text.length() == 10 ? text.substring(4) : "";
        if (time.length() != 6 || !time.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new FormatError(field, "expected MMDDhhmmss");
        }
        return time;
    }

    private static MonthDay monthDay(String text, int field) {
        try {
            return MonthDay.of(Integer.parseInt(text.substring(0, 2)), Integer.parseInt(text.substring(2, 4)));
        } catch (RuntimeException e) {
            throw new FormatError(field, "expected MMDD first");
        }
    }

    private static long parseLong(String text, int field) {
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw new FormatError(field, "expected digits");
        }
    }

    private static int parseInt(String text, int field) {
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new FormatError(field, "expected digits");
        }
    }
}
