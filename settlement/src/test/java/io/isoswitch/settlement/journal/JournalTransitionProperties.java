package io.isoswitch.settlement.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.lists;

import io.isoswitch.settlement.Backend;
import io.isoswitch.settlement.Requests;
import io.isoswitch.settlement.TestDatabase;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * The journal's state changes behave like compare-and-set on a record, in the order they were
 * submitted, even when they share a batch: checked against a one-variable model.
 */
class JournalTransitionProperties {
    private static final Map<Backend, TestDatabase> DATABASES = new EnumMap<>(Backend.class);
    private static final Map<Backend, Journal> JOURNALS = new EnumMap<>(Backend.class);
    private static final AtomicInteger STANS = new AtomicInteger();
    private static final String TERMINAL = Requests.newTerminalId();
    private static final List<TransactionState> STATES = List.of(TransactionState.SENT, TransactionState.APPROVED,
            TransactionState.DECLINED, TransactionState.TIMED_OUT, TransactionState.REVERSAL_PENDING, TransactionState.REVERSED);

    /** One write to a record: an issuer answer, or a conditional transition. */
    record Step(Outcome outcome, TransactionState from, TransactionState to) {
        TransitionResult expected(TransactionState[] model) {
            TransactionState required = outcome != null ? TransactionState.SENT : from;
            boolean applies = model[0] == required;
            if (applies) {
                model[0] = outcome != null ? outcome.state() : to;
            }
            return new TransitionResult(applies, model[0]);
        }

        CompletableFuture<TransitionResult> submit(Journal journal, UUID id) {
            return outcome != null ? journal.recordOutcome(id, outcome) : journal.transition(id, from, to, null);
        }
    }

    @BeforeAll
    static void open() {
        for (Backend backend : Backend.values()) {
            TestDatabase database = TestDatabase.open(backend);
            DATABASES.put(backend, database);
            JOURNALS.put(backend, new Journal(database.database(), JournalSettings.defaults(), CommitListener.NONE,
                    Clock.systemUTC()));
        }
    }

    @AfterAll
    static void close() throws SQLException {
        JOURNALS.values().forEach(Journal::close);
        for (TestDatabase database : DATABASES.values()) {
            database.close();
        }
    }

    @Test
    void stateChangesApplyInSubmissionOrderExactlyWhenTheRecordIsInTheExpectedState() {
        qt().withExamples(100).forAll(Generate.enumValues(Backend.class), steps()).checkAssert((backend, steps) -> {
            Journal journal = JOURNALS.get(backend);
            String stan = Requests.stan(STANS.incrementAndGet());
            UUID id = journal.recordSent(Requests.purchase("node-p", TERMINAL, stan, 100, "issuer-a")).join().entry().id();

            List<CompletableFuture<TransitionResult>> submitted = new ArrayList<>();
            steps.forEach(step -> submitted.add(step.submit(journal, id)));

            TransactionState[] model = {TransactionState.SENT};
            for (int i = 0; i < steps.size(); i++) {
                assertThat(submitted.get(i).join()).as("step %d: %s", i, steps.get(i)).isEqualTo(steps.get(i).expected(model));
            }
            JournalEntry stored = new JournalReader(DATABASES.get(backend).database()).findById(id).join().orElseThrow();
            assertThat(stored.state()).isEqualTo(model[0]);
        });
    }

    /** One to six writes, each an issuer answer or a transition between two different states, as likely as each other. */
    private static Gen<List<Step>> steps() {
        Gen<Step> answer = Generate.pick(List.of(Outcome.approved("000001"), Outcome.declined("05")))
                .map(outcome -> new Step(outcome, null, null));
        List<Step> transitions = new ArrayList<>();
        for (TransactionState from : STATES) {
            for (TransactionState to : STATES) {
                if (from != to) {
                    transitions.add(new Step(null, from, to));
                }
            }
        }
        return lists().of(Generate.oneOf(answer, Generate.pick(transitions))).ofSizeBetween(1, 6);
    }
}
