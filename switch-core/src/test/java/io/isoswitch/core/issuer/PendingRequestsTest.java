package io.isoswitch.core.issuer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PendingRequestsTest {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final List<String> late = new CopyOnWriteArrayList<>();
    private final PendingRequests<String> pending = new PendingRequests<>(timer, late::add);

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    @Test
    void anAnswerCompletesTheRequestWithTheSameClassStanAndInstitution() throws Exception {
        CompletableFuture<String> request = pending.register(MatchKey.of("0200", 17, "123456"), 10_000);
        assertThat(pending.complete(MatchKey.of("0210", 17, "123456"), "approved")).isTrue();
        assertThat(request.get(1, TimeUnit.SECONDS)).isEqualTo("approved");
        assertThat(pending.size()).isZero();
    }

    @Test
    void anAnswerWithTheRightStanButAnotherInstitutionOrClassMatchesNothing() {
        CompletableFuture<String> request = pending.register(MatchKey.of("0200", 17, "123456"), 10_000);
        assertThat(pending.complete(MatchKey.of("0210", 17, "999999"), "other bank")).isFalse();
        assertThat(pending.complete(MatchKey.of("0410", 17, "123456"), "other class")).isFalse();
        assertThat(request).isNotDone();
        assertThat(late).containsExactly("other bank", "other class");
    }

    @Test
    void aRequestWithoutAnswerTimesOutAndItsLateAnswerIsHandedOverNotDelivered() {
        CompletableFuture<String> request = pending.register(MatchKey.of("0100", 5, "1"), 20);
        await().atMost(5, TimeUnit.SECONDS).until(request::isDone);
        assertThatThrownBy(request::get).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(IssuerTimeoutException.class);
        assertThat(pending.complete(MatchKey.of("0110", 5, "1"), "too late")).isFalse();
        assertThat(late).containsExactly("too late");
    }

    @Test
    void refusesASecondRequestUnderAKeyStillWaiting() {
        pending.register(MatchKey.of("0200", 1, "1"), 10_000);
        assertThatThrownBy(() -> pending.register(MatchKey.of("0200", 1, "1"), 10_000)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aDuplicatedAnswerReachesTheRequestOnce() throws Exception {
        CompletableFuture<String> request = pending.register(MatchKey.of("0200", 9, "1"), 10_000);
        pending.complete(MatchKey.of("0210", 9, "1"), "first");
        pending.complete(MatchKey.of("0210", 9, "1"), "duplicate");
        assertThat(request.get()).isEqualTo("first");
        assertThat(late).containsExactly("duplicate");
    }

    @Test
    void whenTimeoutAndAnswerRaceExactlyOneOutcomeWins() throws Exception {
        int answeredInTime = 0;
        for (int i = 1; i <= 500; i++) {
            MatchKey key = MatchKey.of("0200", i, "1");
            CompletableFuture<String> request = pending.register(key, 1);
            pending.complete(MatchKey.of("0210", i, "1"), "answer-" + i);
            request.handle((answer, failure) -> answer).get(5, TimeUnit.SECONDS);
            if (request.isCompletedExceptionally()) {
                // the timeout won: the answer must have been handed over as late, once
                assertThat(late).containsExactly("answer-" + i);
            } else {
                assertThat(request.get()).isEqualTo("answer-" + i);
                assertThat(late).isEmpty();
                answeredInTime++;
            }
            late.clear();
        }
        assertThat(answeredInTime).isPositive();
        assertThat(pending.size()).isZero();
    }

    @Test
    void failAllFailsEveryWaitingRequest() {
        CompletableFuture<String> a = pending.register(MatchKey.of("0200", 1, "1"), 10_000);
        CompletableFuture<String> b = pending.register(MatchKey.of("0100", 2, "1"), 10_000);
        assertThat(pending.failAll(new IllegalStateException("link down"))).isEqualTo(2);
        assertThat(a).isCompletedExceptionally();
        assertThat(b).isCompletedExceptionally();
    }

    @Test
    void failingOneRequestLeavesTheOthersWaitingAndItsLaterAnswerIsLate() {
        MatchKey lost = MatchKey.of("0200", 1, "1");
        CompletableFuture<String> a = pending.register(lost, 10_000);
        CompletableFuture<String> b = pending.register(MatchKey.of("0200", 2, "1"), 10_000);

        assertThat(pending.fail(lost, new IssuerConnectionLostException("bank-a", "020"))).isTrue();
        assertThat(pending.fail(lost, new IssuerConnectionLostException("bank-a", "020"))).as("only once").isFalse();
        assertThat(a).isCompletedExceptionally();
        assertThat(b).isNotDone();
        assertThat(pending.complete(MatchKey.of("0210", 1, "1"), "after the close")).isFalse();
        assertThat(late).containsExactly("after the close");
    }

    @Test
    void whenAllSettledCompletesOnceEveryWaitingRequestHasItsOutcome() {
        CompletableFuture<String> answered = pending.register(MatchKey.of("0200", 1, "1"), 10_000);
        pending.register(MatchKey.of("0200", 2, "1"), 50);
        CompletableFuture<Void> settled = pending.whenAllSettled();

        assertThat(settled).isNotDone();
        pending.complete(MatchKey.of("0210", 1, "1"), "approved");
        assertThat(answered).isCompleted();
        await().atMost(java.time.Duration.ofSeconds(5)).until(settled::isDone);
        assertThat(settled).isCompleted();
    }
}
