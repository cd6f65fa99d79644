package io.isoswitch.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/**
 * How a node's sessions follow the terminal's sign-ons at every node ({@link SignOnsAcrossNodes}):
 * a later sign-on elsewhere ends the session here; the sign-on that issued it, or an earlier one,
 * does not (a poll re-reads the sign-ons of the last seconds, this node's own among them).
 */
class TerminalSessionsGenerationTest {
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-28T04:00:00Z"), ZoneOffset.UTC);
    private final TerminalSessions sessions = new TerminalSessions(100, Duration.ofHours(1), clock);

    @Test
    void aLaterSignOnElsewhereEndsTheSessionHere() {
        sessions.signedOn(session(3));
        assertThat(sessions.signedOnAgain("T0000001", 4)).isTrue();
        assertThat(sessions.use("T0000001")).isEmpty();
    }

    @Test
    void theSignOnThatIssuedTheSessionOrAnEarlierOneLeavesIt() {
        sessions.signedOn(session(3));
        assertThat(sessions.signedOnAgain("T0000001", 3)).isFalse();
        assertThat(sessions.signedOnAgain("T0000001", 2)).isFalse();
        assertThat(sessions.use("T0000001")).isPresent();
    }

    @Test
    void ofTwoSignOnsAtOnceTheLaterGenerationHolds() {
        TerminalSession later = session(5);
        sessions.signedOn(later);
        sessions.signedOn(session(4));
        assertThat(sessions.use("T0000001")).containsSame(later);
    }

    /**
     * Regression (an outside review): a request whose MAC failed counted a use of the keys, so five
     * forged requests retired keys that serve four and forced the terminal to sign on again.
     */
    @Test
    void onlyUsesCountedAfterTheMacVerifiedRetireTheKeys() {
        TerminalSessions twoUses = new TerminalSessions(2, Duration.ofHours(1), clock);
        twoUses.signedOn(session(1));
        for (int forged = 0; forged < 5; forged++) {
            assertThat(twoUses.current("T0000001")).as("a request whose MAC will fail").isPresent();
        }
        TerminalSession keys = twoUses.current("T0000001").orElseThrow();
        assertThat(twoUses.counted(keys)).isTrue();
        assertThat(twoUses.counted(keys)).isTrue();
        assertThat(twoUses.current("T0000001")).as("after the last use").isEmpty();
        assertThat(twoUses.counted(keys)).as("a third use of keys that serve two").isFalse();
    }

    private TerminalSession session(long generation) {
        return new TerminalSession("T0000001", null, null, null, clock.instant(), "000001", generation);
    }

    /**
     * Keys kept in the database for the other nodes are not taken up again where they retired after
     * their last use (they would count their uses afresh) or where the terminal signed off; a later
     * sign-on's are.
     */
    @Test
    void keysThatRetiredHereOrWereSignedOffHereAreNotTakenUpAgainButALaterSignOnsAre() {
        TerminalSessions oneUse = new TerminalSessions(1, Duration.ofHours(1), clock);
        assertThat(oneUse.mayTakeUp("T0000001", 1)).as("never held here").isTrue();
        oneUse.signedOn(session(1));
        assertThat(oneUse.counted(oneUse.current("T0000001").orElseThrow())).isTrue();
        assertThat(oneUse.current("T0000001")).as("retired").isEmpty();
        assertThat(oneUse.mayTakeUp("T0000001", 1)).isFalse();
        assertThat(oneUse.mayTakeUp("T0000001", 2)).isTrue();

        sessions.signedOn(session(3));
        sessions.signedOff("T0000001");
        assertThat(sessions.mayTakeUp("T0000001", 3)).isFalse();
        assertThat(sessions.mayTakeUp("T0000001", 4)).isTrue();

        sessions.signedOnAgain("T0000001", 7);
        assertThat(sessions.mayTakeUp("T0000001", 6)).as("replaced by a sign-on elsewhere").isFalse();
        assertThat(sessions.mayTakeUp("T0000001", 7)).isTrue();
    }

    /** Two requests taking up the same kept keys at once: the first's session holds, with its count of uses. */
    @Test
    void keysTakenUpTwiceKeepTheFirstSessionAndItsUses() {
        TerminalSession first = session(2);
        assertThat(sessions.takenUp(first)).containsSame(first);
        assertThat(sessions.counted(first)).isTrue();
        assertThat(sessions.takenUp(session(2))).containsSame(first);
        assertThat(first.uses()).isEqualTo(1);
        sessions.signedOnAgain("T0000001", 3);
        assertThat(sessions.takenUp(session(2))).as("replaced meanwhile").isEmpty();
    }

    /** Keys that retire here are reported, once, so that the database forgets them for every node. */
    @Test
    void keysThatRetireAreReportedOnce() {
        TerminalSessions oneUse = new TerminalSessions(1, Duration.ofHours(1), clock);
        java.util.List<TerminalSession> retired = new java.util.ArrayList<>();
        oneUse.onRetired(retired::add);
        TerminalSession keys = session(4);
        oneUse.signedOn(keys);
        assertThat(oneUse.counted(keys)).isTrue();
        assertThat(oneUse.counted(keys)).isFalse();
        assertThat(oneUse.current("T0000001")).isEmpty();
        assertThat(retired).containsExactly(keys);
    }
}
