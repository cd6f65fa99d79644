package io.isoswitch.core.saf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link IssuerDrain} against a queue and an issuer of the test's own: never more than the window
 * out, every entry delivered once whatever the order of the answers, nothing more claimed after a
 * failure, and a probing round that sends one entry before it opens the window.
 */
class IssuerDrainTest {
    private final ExecutorService worker = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        worker.shutdownNow();
    }

    /** A queue of {@code count} numbered entries; records what each claim asked for. */
    private static final class Queue implements IssuerDrain.Claims<Integer> {
        final List<Integer> waiting = new ArrayList<>();
        final List<Integer> asked = Collections.synchronizedList(new ArrayList<>());

        Queue(int count) {
            for (int i = 1; i <= count; i++) {
                waiting.add(i);
            }
        }

        @Override
        public synchronized CompletableFuture<List<Integer>> claim(int max) {
            asked.add(max);
            List<Integer> taken = new ArrayList<>(waiting.subList(0, Math.min(max, waiting.size())));
            waiting.subList(0, taken.size()).clear();
            // completes on another thread, as the database's do
            return CompletableFuture.supplyAsync(() -> taken);
        }
    }

    /** An issuer that answers only when the test says so; counts what is out. */
    private static final class Issuer implements IssuerDrain.Delivery<Integer> {
        record Out(int entry, CompletableFuture<IssuerDrain.Delivered> answer) {}

        final LinkedBlockingQueue<Out> out = new LinkedBlockingQueue<>();
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger mostInFlight = new AtomicInteger();
        final List<Integer> delivered = Collections.synchronizedList(new ArrayList<>());

        @Override
        public CompletableFuture<IssuerDrain.Delivered> deliver(Integer entry) {
            mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            CompletableFuture<IssuerDrain.Delivered> answer = new CompletableFuture<>();
            out.add(new Out(entry, answer));
            return answer;
        }

        void awaitOut(int count) throws InterruptedException {
            await().atMost(Duration.ofSeconds(10)).until(() -> out.size() >= count);
            assertThat(out).hasSize(count);
        }

        /** Waits for what is out now (at least one), and answers all of it, last sent first. */
        List<Out> answerAllLastFirst(boolean acknowledged) throws InterruptedException {
            return answerAllLastFirst(acknowledged ? IssuerDrain.Delivered.ACKNOWLEDGED : IssuerDrain.Delivered.FAILED);
        }

        /** Waits for what is out now (at least one), and ends all of it {@code how}, last sent first. */
        List<Out> answerAllLastFirst(IssuerDrain.Delivered how) throws InterruptedException {
            boolean acknowledged = how == IssuerDrain.Delivered.ACKNOWLEDGED;
            List<Out> batch = new ArrayList<>();
            Out first = out.poll(10, TimeUnit.SECONDS);
            assertThat(first).as("something was sent").isNotNull();
            batch.add(first);
            // let the drain finish sending what it claimed together
            Thread.sleep(5);
            out.drainTo(batch);
            Collections.reverse(batch);
            for (Out sent : batch) {
                inFlight.decrementAndGet();
                if (acknowledged) {
                    delivered.add(sent.entry());
                }
                sent.answer().complete(how);
            }
            return batch;
        }
    }

    /** Answers (acknowledges) whatever is out, last sent first, until the round is over. */
    private static void answerUntilOver(Issuer issuer, CompletableFuture<Boolean> round) throws InterruptedException {
        while (!round.isDone()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> round.isDone() || !issuer.out.isEmpty());
            if (!issuer.out.isEmpty()) {
                issuer.answerAllLastFirst(true);
            }
        }
    }

    @Test
    void keepsAtMostTheWindowInFlightAndDeliversEveryEntryOnceWhateverTheOrderOfTheAnswers() throws Exception {
        Queue queue = new Queue(100);
        Issuer issuer = new Issuer();
        AtomicInteger gauge = new AtomicInteger();
        CompletableFuture<Boolean> round = new IssuerDrain<>("bank-a", 8, false, queue, issuer, worker, gauge).run();

        issuer.awaitOut(8);
        assertThat(issuer.mostInFlight.get()).as("a whole window goes out before any answer").isEqualTo(8);
        answerUntilOver(issuer, round);

        assertThat(round.get(10, TimeUnit.SECONDS)).as("no delivery failed").isFalse();
        assertThat(issuer.delivered).hasSize(100).doesNotHaveDuplicates();
        assertThat(issuer.mostInFlight.get()).as("never more than the window out").isLessThanOrEqualTo(8)
                .as("several out at once").isGreaterThan(1);
        assertThat(gauge.get()).isZero();
        assertThat(queue.asked.getFirst()).isEqualTo(8);
        assertThat(queue.asked).allSatisfy(max -> assertThat(max).isBetween(1, 8));
    }

    @Test
    void aFailedDeliveryStopsTheClaimsAndEndsTheRoundOnceTheRestAreBack() throws Exception {
        Queue queue = new Queue(20);
        Issuer issuer = new Issuer();
        CompletableFuture<Boolean> round = new IssuerDrain<>("bank-a", 4, false, queue, issuer, worker, new AtomicInteger()).run();

        issuer.awaitOut(4);
        List<Issuer.Out> first = issuer.answerAllLastFirst(false);

        assertThat(round.get(10, TimeUnit.SECONDS)).as("the round says a delivery failed").isTrue();
        assertThat(first).hasSize(4);
        assertThat(queue.asked).as("nothing claimed after the failure").containsExactly(4);
        assertThat(issuer.out).isEmpty();
        assertThat(queue.waiting).hasSize(16);
    }

    @Test
    void aProbingRoundSendsOneEntryAndOpensTheWindowAtTheFirstAcknowledgement() throws Exception {
        Queue queue = new Queue(10);
        Issuer issuer = new Issuer();
        CompletableFuture<Boolean> round = new IssuerDrain<>("bank-a", 4, true, queue, issuer, worker, new AtomicInteger()).run();

        assertThat(issuer.answerAllLastFirst(true)).hasSize(1);
        answerUntilOver(issuer, round);

        assertThat(round.get(10, TimeUnit.SECONDS)).isFalse();
        assertThat(queue.asked.subList(0, 2)).containsExactly(1, 4);
        assertThat(issuer.delivered).hasSize(10);
        assertThat(issuer.mostInFlight.get()).isLessThanOrEqualTo(4);
    }

    @Test
    void aProbingRoundThatFailsAgainSendsNothingMore() throws Exception {
        Queue queue = new Queue(10);
        Issuer issuer = new Issuer();
        CompletableFuture<Boolean> round = new IssuerDrain<>("bank-a", 4, true, queue, issuer, worker, new AtomicInteger()).run();

        assertThat(issuer.answerAllLastFirst(false)).hasSize(1);

        assertThat(round.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(queue.asked).containsExactly(1);
        assertThat(queue.waiting).hasSize(9);
    }

    @Test
    void anEntryThatFailsAloneLetsTheRoundGoOnWithTheOthers() throws Exception {
        Queue queue = new Queue(10);
        Issuer issuer = new Issuer();
        CompletableFuture<Boolean> round = new IssuerDrain<>("bank-a", 4, false, queue, issuer, worker, new AtomicInteger()).run();

        issuer.awaitOut(4);
        assertThat(issuer.answerAllLastFirst(IssuerDrain.Delivered.FAILED_ALONE)).hasSize(4);
        answerUntilOver(issuer, round);

        assertThat(round.get(10, TimeUnit.SECONDS)).as("no failure of the link").isFalse();
        assertThat(issuer.delivered).as("the six behind them were claimed and sent").hasSize(6);
        assertThat(queue.waiting).isEmpty();
    }

    @Test
    void aProbingRoundWhoseProbeFailsAloneStaysAtOneUntilAnAcknowledgement() throws Exception {
        Queue queue = new Queue(10);
        Issuer issuer = new Issuer();
        CompletableFuture<Boolean> round = new IssuerDrain<>("bank-a", 4, true, queue, issuer, worker, new AtomicInteger()).run();

        assertThat(issuer.answerAllLastFirst(IssuerDrain.Delivered.FAILED_ALONE)).as("the probe").hasSize(1);
        assertThat(issuer.answerAllLastFirst(true)).as("still one: the link is not known to answer yet").hasSize(1);
        answerUntilOver(issuer, round);

        assertThat(round.get(10, TimeUnit.SECONDS)).isFalse();
        assertThat(queue.asked.subList(0, 3)).containsExactly(1, 1, 4);
        assertThat(issuer.delivered).hasSize(9);
    }
}
