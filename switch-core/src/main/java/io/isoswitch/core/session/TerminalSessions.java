package io.isoswitch.core.session;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The signed-on terminals of this node. A terminal's session survives reconnects (it is keyed by
 * terminal id, not by connection) and ends at sign-off, at the next sign-on (which replaces it; one
 * at another node ends it here when this node learns of it, {@link SignOnsAcrossNodes}), or when
 * its keys retire after {@code maxUses} requests or {@code maxAge}.
 */
public final class TerminalSessions {
    private final ConcurrentHashMap<String, TerminalSession> sessions = new ConcurrentHashMap<>();
    /**
     * Per terminal, the latest generation whose keys retired or were signed off here: their keys,
     * kept in the database for other nodes, must not be taken up here again ({@link #mayTakeUp}),
     * or a session retired after its last use would start counting its uses afresh.
     */
    private final ConcurrentHashMap<String, Long> endedUpTo = new ConcurrentHashMap<>();
    private final long maxUses;
    private final Duration maxAge;
    private final Clock clock;

    public TerminalSessions(long maxUses, Duration maxAge, Clock clock) {
        if (maxUses <= 0) {
            throw new IllegalArgumentException("maxUses must be positive, was " + maxUses);
        }
        if (maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("maxAge must be positive, was " + maxAge);
        }
        this.maxUses = maxUses;
        this.maxAge = maxAge;
        this.clock = clock;
    }

    /**
     * Starts (or replaces) the terminal's session; a session of a later generation stays (two
     * sign-ons of one terminal at once: the later in the database's order is the one that holds).
     */
    public void signedOn(TerminalSession session) {
        sessions.merge(session.terminalId(), session, (held, signedOn) -> signedOn.generation() >= held.generation() ? signedOn : held);
        // a sign-on here after a sign-off that could not be recorded (ended up to every generation)
        endedUpTo.computeIfPresent(session.terminalId(), (id, ended) -> ended >= session.generation() ? session.generation() - 1 : ended);
    }

    /**
     * Whether keys of sign-on {@code generation} of the terminal, kept in the database, may be taken
     * up here: not when they retired here already, or the terminal signed off here since.
     */
    public boolean mayTakeUp(String terminalId, long generation) {
        return generation > endedUpTo.getOrDefault(terminalId, 0L);
    }

    /**
     * A sign-on of generation {@code generation} of the terminal was taken (at any node): ends its
     * session here if that is older, so keys the sign-on replaced stop working at this node too.
     *
     * @return true when a session ended
     */
    public boolean signedOnAgain(String terminalId, long generation) {
        boolean[] ended = {false};
        sessions.computeIfPresent(terminalId, (id, held) -> {
            if (held.generation() < generation) {
                ended[0] = true;
                return null;
            }
            return held;
        });
        return ended[0];
    }

    /** Ends the terminal's session; its keys are not taken up here again. */
    public void signedOff(String terminalId) {
        TerminalSession ended = sessions.remove(terminalId);
        if (ended != null) {
            ended(ended);
        }
    }

    /**
     * Ends the terminal's session, and no keys of any earlier sign-on of it are taken up here again
     * until it signs on here: its sign-off could not be recorded in the database, which still keeps
     * the keys of its last sign-on for the nodes.
     */
    public void signedOffHereOnly(String terminalId) {
        sessions.remove(terminalId);
        endedUpTo.put(terminalId, Long.MAX_VALUE);
    }

    private void ended(TerminalSession session) {
        endedUpTo.merge(session.terminalId(), session.generation(), Math::max);
    }

    /**
     * The terminal's session for one more request, counting the use; empty when it has not
     * signed on or its keys have retired (then it is forgotten, so the terminal must sign on).
     * For a request without a MAC; one with a MAC takes {@link #current} and counts the use once
     * its MAC verified ({@link #counted}).
     */
    public Optional<TerminalSession> use(String terminalId) {
        return current(terminalId).filter(this::counted);
    }

    /**
     * The terminal's session, the use not counted yet; empty when it has not signed on or its keys
     * have retired (then it is forgotten). A request that fails its MAC check uses nothing: anyone
     * who knows a terminal id could otherwise retire its keys with forged requests and force it to
     * sign on again.
     */
    public Optional<TerminalSession> current(String terminalId) {
        TerminalSession session = sessions.get(terminalId);
        if (session == null) {
            return Optional.empty();
        }
        if (retired(session, session.uses() + 1)) {
            if (sessions.remove(terminalId, session)) {
                ended(session);
            }
            return Optional.empty();
        }
        return Optional.of(session);
    }

    /** Counts one use of {@code session}'s keys; false, and the session forgotten, when that use is past their last. */
    public boolean counted(TerminalSession session) {
        if (retired(session, session.use())) {
            if (sessions.remove(session.terminalId(), session)) {
                ended(session);
            }
            return false;
        }
        return true;
    }

    private boolean retired(TerminalSession session, long uses) {
        return session.issuedAt().plus(maxAge).isBefore(clock.instant()) || uses > maxUses;
    }

    public int size() {
        return sessions.size();
    }
}
