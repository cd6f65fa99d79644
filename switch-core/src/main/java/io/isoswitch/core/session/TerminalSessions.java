package io.isoswitch.core.session;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The signed-on terminals of this node. A terminal's session survives reconnects (it is keyed by
 * terminal id, not by connection) and ends at sign-off, at the next sign-on (which replaces it; one
 * at another node ends it here when this node learns of it, {@link SignOnsAcrossNodes}), or when
 * its keys retire after {@code maxUses} requests or {@code maxAge}.
 */
public final class TerminalSessions {
    private final ConcurrentHashMap<String, TerminalSession> sessions = new ConcurrentHashMap<>();
    /**
     * Per terminal, the latest generation known to have ended here: its keys retired or were signed
     * off here, or a later sign-on or sign-off (at any node) replaced them. Keys of such a generation,
     * still kept in the database, are never taken up here again ({@link #mayTakeUp}): retired keys
     * would count their uses afresh, replaced ones would serve after their replacement.
     */
    private final ConcurrentHashMap<String, Long> endedUpTo = new ConcurrentHashMap<>();
    /** Told of keys that retired here (their last use or their age), so that no node takes them up again. */
    private volatile Consumer<TerminalSession> onRetired = retired -> { };
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
    }

    /**
     * Starts the session of keys kept in the database ({@link SignOnsAcrossNodes#restore}) unless
     * their generation ended here meanwhile or a session of it or a later one is held (two requests
     * taking it up at once: the first holds, its use count with it). Returns the session now held.
     */
    public Optional<TerminalSession> takenUp(TerminalSession session) {
        if (!mayTakeUp(session.terminalId(), session.generation())) {
            return current(session.terminalId());
        }
        sessions.merge(session.terminalId(), session, (held, taken) -> taken.generation() > held.generation() ? taken : held);
        return current(session.terminalId());
    }

    /**
     * Whether keys of sign-on {@code generation} of the terminal, kept in the database, may be taken
     * up here: not when that generation ended here ({@link #endedUpTo}).
     */
    public boolean mayTakeUp(String terminalId, long generation) {
        return generation > endedUpTo.getOrDefault(terminalId, 0L);
    }

    /** Tells {@code retired} of every session whose keys retire here. */
    public void onRetired(Consumer<TerminalSession> retired) {
        this.onRetired = java.util.Objects.requireNonNull(retired, "retired");
    }

    /**
     * A sign-on of generation {@code generation} of the terminal was taken (at any node): ends its
     * session here if that is older, so keys the sign-on replaced stop working at this node too.
     *
     * @return true when a session ended
     */
    public boolean signedOnAgain(String terminalId, long generation) {
        endedUpTo.merge(terminalId, generation - 1, Math::max);
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

    private void ended(TerminalSession session) {
        endedUpTo.merge(session.terminalId(), session.generation(), Math::max);
    }

    private void retire(TerminalSession session) {
        if (sessions.remove(session.terminalId(), session)) {
            ended(session);
            onRetired.accept(session);
        }
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
            retire(session);
            return Optional.empty();
        }
        return Optional.of(session);
    }

    /** Counts one use of {@code session}'s keys; false, and the session forgotten, when that use is past their last. */
    public boolean counted(TerminalSession session) {
        if (retired(session, session.use())) {
            retire(session);
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
