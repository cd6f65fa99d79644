package io.isoswitch.sim.fault;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.Executor;

/**
 * Draws fault decisions from a seeded generator according to the current {@link FaultPlan}, and
 * counts each fault as it decides it. The plan can be swapped at any time (the next decision uses
 * the new one). Thread-safe: decisions are drawn under a lock so that one seed gives one sequence
 * of decisions, in whatever order threads ask for them.
 */
public final class FaultInjector {
    /** Garbage answers are 1 to this many random bytes. */
    public static final int MAX_GARBAGE_BYTES = 64;

    private final SplittableRandom random;
    private final FaultCounters counters = new FaultCounters();
    private volatile FaultPlan plan;
    private final List<Runnable> held = new ArrayList<>();
    private boolean holding;
    private final List<Runnable> heldRequests = new ArrayList<>();
    private boolean holdingRequests;
    /** Changes every financial answer before it is signed (identity: none). */
    private volatile java.util.function.UnaryOperator<io.isoswitch.codec.IsoMessage> answerRewrite = java.util.function.UnaryOperator.identity();

    public FaultInjector(FaultPlan plan, long seed) {
        this.plan = Objects.requireNonNull(plan, "plan");
        this.random = new SplittableRandom(seed);
    }

    /** An injector that injects nothing until given a plan. */
    public static FaultInjector none() {
        return new FaultInjector(FaultPlan.none(), 0);
    }

    /**
     * From now on every financial answer goes through {@code rewrite} before it is signed: a host
     * that echoes a field wrongly (another amount, terminal or RRN), for tests of the switch's
     * checks of its answers; the bank has booked the request as it came. Identity to stop.
     */
    public void rewriteAnswers(java.util.function.UnaryOperator<io.isoswitch.codec.IsoMessage> rewrite) {
        this.answerRewrite = Objects.requireNonNull(rewrite, "rewrite");
    }

    /** {@code answer} as {@link #rewriteAnswers} says the host sends it. */
    public io.isoswitch.codec.IsoMessage rewritten(io.isoswitch.codec.IsoMessage answer) {
        return answerRewrite.apply(answer);
    }

    /** The plan in force. */
    public FaultPlan plan() {
        return plan;
    }

    /** Replaces the plan; the next decision follows it. */
    public void setPlan(FaultPlan newPlan) {
        this.plan = Objects.requireNonNull(newPlan, "newPlan");
    }

    /**
     * From now on financial answers, once their planned delay is over, wait for {@link #release()}:
     * a test keeps a request at the issuer for exactly as long as its own steps take, however slow
     * the machine, where a fixed latency would have to guess how long that is.
     */
    public synchronized void hold() {
        holding = true;
    }

    /** Sends every answer held since {@link #hold()}, in the order they were held, and holds no more. */
    public void release() {
        List<Runnable> out;
        synchronized (this) {
            holding = false;
            out = List.copyOf(held);
            held.clear();
        }
        out.forEach(Runnable::run);
    }

    /** Runs {@code answer} now, or, while answers are held, on {@code executor} at {@link #release()}. */
    public void answerOrHold(Runnable answer, Executor executor) {
        synchronized (this) {
            if (holding) {
                held.add(() -> executor.execute(answer));
                return;
            }
        }
        answer.run();
    }

    /**
     * From now on financial requests other than reversals wait, before the bank sees them, for
     * {@link #releaseRequests()}: a request that reaches the issuer late (written late on a dead
     * path, held in a network buffer), after a reversal of it sent on another connection.
     */
    public synchronized void holdRequests() {
        holdingRequests = true;
    }

    /** Hands every request held since {@link #holdRequests()} to the bank, in order, and holds no more. */
    public void releaseRequests() {
        List<Runnable> in;
        synchronized (this) {
            holdingRequests = false;
            in = List.copyOf(heldRequests);
            heldRequests.clear();
        }
        in.forEach(Runnable::run);
    }

    /** Runs {@code process} now, or, for a request that is not a reversal while requests are held, on {@code executor} at release. */
    public void processOrHold(boolean reversal, Runnable process, Executor executor) {
        synchronized (this) {
            if (holdingRequests && !reversal) {
                heldRequests.add(() -> executor.execute(process));
                return;
            }
        }
        process.run();
    }

    /** The counts of faults injected so far. */
    public FaultCounters counters() {
        return counters;
    }

    /** Decides what to do with the next answer, and counts the fault it chose. */
    public synchronized FaultDecision nextAnswer() {
        FaultPlan current = plan;
        counters.recordDecision();
        double roll = random.nextDouble();
        double edge = current.noAnswerShare();
        if (roll < edge) {
            counters.record(FaultKind.NO_ANSWER);
            return new FaultDecision(FaultDecision.Action.NO_ANSWER, Duration.ZERO);
        }
        edge += current.lateAnswerShare();
        if (roll < edge) {
            counters.record(FaultKind.LATE_ANSWER);
            return new FaultDecision(FaultDecision.Action.LATE_ANSWER, current.lateAnswerDelay());
        }
        Duration delay = current.latency().sample(random);
        if (delay.isPositive()) {
            counters.record(FaultKind.LATENCY);
        }
        edge += current.dropConnectionShare();
        if (roll < edge) {
            counters.record(FaultKind.DROPPED_CONNECTION);
            return new FaultDecision(FaultDecision.Action.DROP_CONNECTION, delay);
        }
        edge += current.garbageShare();
        if (roll < edge) {
            counters.record(FaultKind.GARBAGE);
            return new FaultDecision(FaultDecision.Action.GARBAGE, delay);
        }
        edge += current.damagedShare();
        if (roll < edge) {
            counters.record(FaultKind.DAMAGED_ANSWER);
            return new FaultDecision(FaultDecision.Action.DAMAGED, delay);
        }
        edge += current.duplicateAnswerShare();
        if (roll < edge) {
            counters.record(FaultKind.DUPLICATE_ANSWER);
            return new FaultDecision(FaultDecision.Action.DUPLICATE, delay);
        }
        return new FaultDecision(FaultDecision.Action.ANSWER, delay);
    }

    /** Whether to refuse this sign-on; a refusal is counted. */
    public boolean refuseSignOn() {
        if (plan.refuseSignOn()) {
            counters.record(FaultKind.REFUSED_SIGN_ON);
            return true;
        }
        return false;
    }

    /** A copy of {@code answer} damaged by {@link ByteDamage}. */
    public synchronized byte[] damaged(byte[] answer) {
        return ByteDamage.damage(answer, random);
    }

    /** 1 to {@link #MAX_GARBAGE_BYTES} random bytes to send instead of an answer. */
    public synchronized byte[] garbage() {
        byte[] bytes = new byte[1 + random.nextInt(MAX_GARBAGE_BYTES)];
        random.nextBytes(bytes);
        return bytes;
    }
}
