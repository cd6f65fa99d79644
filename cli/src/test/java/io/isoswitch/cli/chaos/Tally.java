package io.isoswitch.cli.chaos;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the terminals of a chaos run were told, shared by their threads: per account, the sum they
 * were answered "approved" for and did not reverse themselves (what the issuer must have debited),
 * and counts of everything for the report.
 */
final class Tally {
    final Map<String, LongAdder> expectedDebit = new ConcurrentHashMap<>();
    final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    final List<String> problems = new CopyOnWriteArrayList<>();
    /** Voids a terminal reversed because it got no answer, by "terminal/stan": account and amount. */
    final Map<String, Map.Entry<String, Long>> voidsReversedByTerminal = new ConcurrentHashMap<>();

    /**
     * Counts up at every start and every end of a database outage ({@link DatabaseLink#cut()}):
     * odd while one lasts. A request read it before it was sent and after its answer came; the
     * same odd value both times means it lay wholly within one outage.
     */
    private final java.util.concurrent.atomic.AtomicLong outageClock = new java.util.concurrent.atomic.AtomicLong();

    void outageBegins() {
        if (outageClock.incrementAndGet() % 2 == 0) {
            throw new IllegalStateException("an outage is already going on");
        }
    }

    void outageEnds() {
        if (outageClock.incrementAndGet() % 2 == 1) {
            throw new IllegalStateException("no outage is going on");
        }
    }

    long outageMark() {
        return outageClock.get();
    }

    /** True when a request sent at {@code markBefore} is answered now within the same outage. */
    boolean whollyWithinOneOutage(long markBefore) {
        return markBefore % 2 == 1 && outageClock.get() == markBefore;
    }

    /**
     * Per account, the holds of pre-authorizations whose completion was answered 96 and whose void
     * was then refused 12: what the switch is known to leave held (docs/end-to-end-tests.md).
     */
    final Map<String, Long> heldAfterVoidRefusedAfterCompletion96 = new ConcurrentHashMap<>();

    void voidRefusedAfterCompletion96(String accountId, long heldMinor) {
        heldAfterVoidRefusedAfterCompletion96.merge(accountId, heldMinor, Long::sum);
        count("pre-authorization voids answered 12 after its completion was answered 96");
    }

    void voidReversedByTerminal(String terminalId, int stan, String accountId, long amountMinor) {
        voidsReversedByTerminal.put(terminalId + "/" + String.format(java.util.Locale.ROOT, "%06d", stan),
                Map.entry(accountId, amountMinor));
    }

    /** What each account's terminals were told, in order, for a failure's message. */
    final Map<String, java.util.Queue<String>> events = new ConcurrentHashMap<>();

    void event(String accountId, String line) {
        events.computeIfAbsent(accountId, a -> new java.util.concurrent.ConcurrentLinkedQueue<>())
                .add(java.time.Instant.now() + " " + line);
    }

    void expect(String accountId, long amountMinor) {
        expectedDebit.computeIfAbsent(accountId, a -> new LongAdder()).add(amountMinor);
    }

    long expected(String accountId) {
        LongAdder sum = expectedDebit.get(accountId);
        return sum == null ? 0 : sum.sum();
    }

    void count(String what) {
        counts.computeIfAbsent(what, w -> new LongAdder()).increment();
    }

    long count(String what, boolean unused) {
        LongAdder adder = counts.get(what);
        return adder == null ? 0 : adder.sum();
    }

    void problem(String description) {
        problems.add(description);
    }

    String report() {
        Map<String, Long> sorted = new TreeMap<>();
        counts.forEach((k, v) -> sorted.put(k, v.sum()));
        StringBuilder text = new StringBuilder();
        sorted.forEach((k, v) -> text.append(String.format("  %-34s %8d%n", k, v)));
        return text.toString();
    }
}
