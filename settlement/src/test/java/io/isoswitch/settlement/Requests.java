package io.isoswitch.settlement;

import io.isoswitch.settlement.journal.CardReference;
import io.isoswitch.settlement.journal.IssuerLeg;
import io.isoswitch.settlement.journal.JournalRequest;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/** Journal requests for tests: unique terminals so tests sharing a schema never meet. */
public final class Requests {
    public static final LocalDate BUSINESS_DATE = LocalDate.of(2026, 11, 26);
    private static final AtomicInteger TERMINALS = new AtomicInteger();

    private Requests() {}

    /** A terminal id no other test uses in this JVM (8 characters, like field 41). */
    public static String newTerminalId() {
        return String.format("T%07d", TERMINALS.incrementAndGet() + ThreadLocalRandom.current().nextInt(1_000) * 10_000);
    }

    public static String stan(int n) {
        return String.format("%06d", n);
    }

    /** A purchase (0200) of {@code amountMinor} in 840 from {@code terminalId}, sent to {@code issuerId}. */
    public static JournalRequest purchase(String nodeId, String terminalId, String stan, long amountMinor, String issuerId) {
        return request(nodeId, terminalId, stan, "0200", "PURCHASE", "000000", amountMinor, issuerId);
    }

    public static JournalRequest balanceInquiry(String nodeId, String terminalId, String stan, String issuerId) {
        return request(nodeId, terminalId, stan, "0100", "BALANCE_INQUIRY", "310000", 0, issuerId);
    }

    public static JournalRequest request(String nodeId, String terminalId, String stan, String mti, String type,
                                         String processingCode, long amountMinor, String issuerId) {
        byte[] token = new byte[32];
        ThreadLocalRandom.current().nextBytes(token);
        CardReference card = new CardReference(token, "476173******0119", new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, "dk-1");
        IssuerLeg leg = issuerId == null ? null
                : new IssuerLeg(issuerId, stan, "633012" + stan, Instant.parse("2026-11-26T10:15:30.123456Z"));
        return new JournalRequest(nodeId, BUSINESS_DATE, terminalId, "M00000000000042", stan, BUSINESS_DATE, mti,
                LocalDateTime.of(2026, 11, 26, 11, 15, 30), type, processingCode, amountMinor, "840", card, leg, null);
    }
}
