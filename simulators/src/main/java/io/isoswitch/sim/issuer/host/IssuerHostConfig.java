package io.isoswitch.sim.issuer.host;

import io.isoswitch.sim.fault.FaultInjector;
import io.isoswitch.sim.issuer.IssuerBank;
import io.netty.handler.ssl.SslContext;
import java.util.Objects;

/**
 * How to run one simulated issuer host.
 *
 * @param bindHost      address to listen on (tests and the demo: 127.0.0.1)
 * @param port          TCP port, 0 for any free one
 * @param bank          the bank whose cards and ledger decide every request
 * @param keys          ZMK and PVK in the issuer's HSM
 * @param faults        the fault injector, changeable while running
 * @param requireSignOn whether financial requests on a connection that has not signed on are
 *                      answered 91 (real issuers refuse them; some tests turn it off)
 * @param tls           the server TLS context (mutual when it asks for client certificates), or
 *                      null for plain TCP
 */
public record IssuerHostConfig(String bindHost, int port, IssuerBank bank, IssuerKeys keys, FaultInjector faults,
        boolean requireSignOn, SslContext tls) {

    /** A plain-TCP host. */
    public IssuerHostConfig(String bindHost, int port, IssuerBank bank, IssuerKeys keys, FaultInjector faults,
            boolean requireSignOn) {
        this(bindHost, port, bank, keys, faults, requireSignOn, null);
    }

    public IssuerHostConfig {
        Objects.requireNonNull(bindHost, "bindHost");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port: expected 0..65535, found " + port);
        }
        Objects.requireNonNull(bank, "bank");
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(faults, "faults");
    }

    /** On 127.0.0.1, any free port, no faults, sign-on required. */
    public static IssuerHostConfig local(IssuerBank bank, IssuerKeys keys) {
        return new IssuerHostConfig("127.0.0.1", 0, bank, keys, FaultInjector.none(), true);
    }

    public IssuerHostConfig withPort(int newPort) {
        return new IssuerHostConfig(bindHost, newPort, bank, keys, faults, requireSignOn, tls);
    }

    public IssuerHostConfig withFaults(FaultInjector newFaults) {
        return new IssuerHostConfig(bindHost, port, bank, keys, newFaults, requireSignOn, tls);
    }

    public IssuerHostConfig withRequireSignOn(boolean required) {
        return new IssuerHostConfig(bindHost, port, bank, keys, faults, required, tls);
    }

    /** The same host speaking TLS with {@code context} (a server context). */
    public IssuerHostConfig withTls(SslContext context) {
        return new IssuerHostConfig(bindHost, port, bank, keys, faults, requireSignOn, context);
    }
}
