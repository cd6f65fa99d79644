package io.isoswitch.sim.terminal;

import io.isoswitch.security.Hsm;
import io.isoswitch.security.SecureKey;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * One simulated POS terminal.
 *
 * @param host              the switch's address
 * @param port              the switch's port for this dialect
 * @param dialect           what the terminal speaks
 * @param terminalId        field 41, 8 characters
 * @param merchantId        field 42, 15 characters
 * @param currency          ISO 4217 numeric currency of the terminal
 * @param hsm               the terminal's secure element (a software HSM here)
 * @param tmk               the terminal master key its working keys arrive under
 * @param timeout           how long it waits for an answer before reversing
 * @param reversalAttempts  how many times it sends a reversal (0400, then repeats) before keeping
 *                          it pending; also how many times it sends a UnionPay refund that gets no
 *                          answer (it is sent again, never reversed)
 * @param clock             dates and times of requests, in the clock's zone
 */
public record TerminalConfig(
        String host,
        int port,
        TerminalDialect dialect,
        String terminalId,
        String merchantId,
        int currency,
        Hsm hsm,
        SecureKey tmk,
        Duration timeout,
        int reversalAttempts,
        Clock clock) {

    /** A POS terminal's usual wait before it gives up on an answer. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    /** Reversal sends before giving up for now. */
    public static final int DEFAULT_REVERSAL_ATTEMPTS = 3;

    public TerminalConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(dialect, "dialect");
        if (terminalId == null || terminalId.length() != 8) {
            throw new IllegalArgumentException("terminalId: expected 8 characters, found '" + terminalId + "'");
        }
        if (merchantId == null || merchantId.length() != 15) {
            throw new IllegalArgumentException("merchantId: expected 15 characters, found '" + merchantId + "'");
        }
        if (currency < 1 || currency > 999) {
            throw new IllegalArgumentException("currency: expected 1..999, found " + currency);
        }
        Objects.requireNonNull(hsm, "hsm");
        Objects.requireNonNull(tmk, "tmk");
        Objects.requireNonNull(timeout, "timeout");
        if (!timeout.isPositive()) {
            throw new IllegalArgumentException("timeout: expected > 0, found " + timeout);
        }
        if (reversalAttempts < 1) {
            throw new IllegalArgumentException("reversalAttempts: expected >= 1, found " + reversalAttempts);
        }
        Objects.requireNonNull(clock, "clock");
    }

    /** A terminal with the default timeout and reversal attempts, on the system clock in UTC. */
    public static TerminalConfig of(String host, int port, TerminalDialect dialect, String terminalId, String merchantId,
            int currency, Hsm hsm, SecureKey tmk) {
        return new TerminalConfig(host, port, dialect, terminalId, merchantId, currency, hsm, tmk, DEFAULT_TIMEOUT,
                DEFAULT_REVERSAL_ATTEMPTS, Clock.systemUTC());
    }

    public TerminalConfig withTimeout(Duration newTimeout) {
        return new TerminalConfig(host, port, dialect, terminalId, merchantId, currency, hsm, tmk, newTimeout,
                reversalAttempts, clock);
    }

    public TerminalConfig withPort(int newPort) {
        return new TerminalConfig(host, newPort, dialect, terminalId, merchantId, currency, hsm, tmk, timeout,
                reversalAttempts, clock);
    }

    public TerminalConfig withClock(Clock newClock) {
        return new TerminalConfig(host, port, dialect, terminalId, merchantId, currency, hsm, tmk, timeout,
                reversalAttempts, newClock);
    }
}
