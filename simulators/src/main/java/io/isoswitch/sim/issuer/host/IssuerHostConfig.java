package io.isoswitch.sim.issuer.host;

import io.isoswitch.sim.fault.FaultInjector;
import io.isoswitch.sim.issuer.IssuerBank;
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
 */
public record IssuerHostConfig(String bindHost, int port, IssuerBank bank, IssuerKeys keys, FaultInjector faults,
        boolean requireSignOn) {

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
        return new IssuerHostConfig(bindHost, newPort, bank, keys, faults, requireSignOn);
    }

    public IssuerHostConfig withFaults(FaultInjector newFaults) {
        return new IssuerHostConfig(bindHost, port, bank, keys, newFaults, requireSignOn);
    }

    public IssuerHostConfig withRequireSignOn(boolean required) {
        return new IssuerHostConfig(bindHost, port, bank, keys, faults, required);
    }
}
