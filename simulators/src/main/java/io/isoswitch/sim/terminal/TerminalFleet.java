package io.isoswitch.sim.terminal;

import io.isoswitch.sim.card.IssuedCard;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * The load generator's engine: many simulated terminals, each on its own virtual thread and its own
 * connection, signing on and then making a seeded mix of transactions with cards of a card file,
 * while latencies and answers are counted. A terminal whose connection broke redials and sends the
 * reversals it kept; one whose keys were retired signs on again. The run ends by itself after the
 * planned transactions.
 */
public final class TerminalFleet {
    /** Latencies above this are recorded as this (an hour, in microseconds). */
    static final long MAX_LATENCY_MICROS = 3_600_000_000L;

    private TerminalFleet() {
    }

    /**
     * Runs one terminal per config with {@code plan}; {@code progress} hears the running count of
     * transactions (from many threads).
     */
    public static FleetReport run(List<TerminalConfig> terminals, List<IssuedCard> cards, FleetPlan plan,
            LongConsumer progress) {
        Objects.requireNonNull(plan, "plan");
        if (cards.isEmpty()) {
            throw new IllegalArgumentException("cards: expected at least one card");
        }
        Histogram latency = new ConcurrentHistogram(MAX_LATENCY_MICROS, 3);
        Map<String, LongAdder> codes = new ConcurrentHashMap<>();
        Map<TerminalResult.Outcome, LongAdder> outcomes = new ConcurrentHashMap<>();
        AtomicLong done = new AtomicLong();
        LongAdder errors = new LongAdder();
        SplittableRandom root = new SplittableRandom(plan.seed());
        long start = System.nanoTime();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> running = new ArrayList<>();
            for (TerminalConfig config : terminals) {
                SplittableRandom random = root.split();
                running.add(threads.submit(() -> {
                    try (PosTerminal terminal = PosTerminal.connect(config)) {
                        terminal.signOn();
                        for (int i = 0; i < plan.transactionsPerTerminal(); i++) {
                            recover(terminal);
                            long sent = System.nanoTime();
                            TerminalResult result = one(terminal, cards, plan, random);
                            latency.recordValue(Math.min(MAX_LATENCY_MICROS, (System.nanoTime() - sent) / 1_000));
                            codes.computeIfAbsent(result.responseCode().isEmpty() ? "--" : result.responseCode(),
                                    c -> new LongAdder()).increment();
                            outcomes.computeIfAbsent(result.outcome(), o -> new LongAdder()).increment();
                            progress.accept(done.incrementAndGet());
                        }
                    } catch (RuntimeException e) {
                        errors.increment();
                    }
                    return null;
                }));
            }
            for (Future<?> future : running) {
                future.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            errors.increment();
        }
        Map<String, Long> byCode = new ConcurrentHashMap<>();
        codes.forEach((code, count) -> byCode.put(code, count.sum()));
        Map<TerminalResult.Outcome, Long> byOutcome = new EnumMap<>(TerminalResult.Outcome.class);
        outcomes.forEach((outcome, count) -> byOutcome.put(outcome, count.sum()));
        return new FleetReport(done.get(), byCode, byOutcome, latency, Duration.ofNanos(System.nanoTime() - start),
                errors.sum());
    }

    /** Redials a broken connection (then sends the reversals it kept) and signs on when keys were retired. */
    private static void recover(PosTerminal terminal) {
        if (!terminal.connected()) {
            terminal.reconnect();
            terminal.retryPendingReversals();
        }
        if (!terminal.signedOn()) {
            terminal.signOn();
        }
    }

    /** One transaction of the mix. */
    private static TerminalResult one(PosTerminal terminal, List<IssuedCard> cards, FleetPlan plan,
            SplittableRandom random) {
        CardData card = CardData.of(cards.get(random.nextInt(cards.size())));
        long amount = random.nextLong(plan.minAmountMinor(), plan.maxAmountMinor() + 1);
        int pick = random.nextInt(plan.totalWeight());
        if ((pick -= plan.purchaseWeight()) < 0) {
            return terminal.purchase(card, amount);
        }
        if ((pick -= plan.refundWeight()) < 0) {
            // a refund names the purchase it gives back (part of), as a switch requires by default
            TerminalResult purchase = terminal.purchase(card, amount);
            return purchase.approved() ? terminal.refundOf(purchase, Math.max(1, amount / 2)) : purchase;
        }
        if ((pick -= plan.balanceWeight()) < 0) {
            return terminal.balanceInquiry(card);
        }
        if ((pick -= plan.preAuthWeight()) < 0) {
            TerminalResult preAuth = terminal.preAuth(card, amount);
            return preAuth.approved() ? terminal.completion(preAuth, amount) : preAuth;
        }
        TerminalResult purchase = terminal.purchase(card, amount);
        return purchase.approved() ? terminal.voidOf(purchase) : purchase;
    }
}
