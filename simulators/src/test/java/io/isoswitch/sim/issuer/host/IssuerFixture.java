package io.isoswitch.sim.issuer.host;

import io.isoswitch.security.LocalMasterKey;
import io.isoswitch.security.SecureKey;
import io.isoswitch.security.SoftwareHsm;
import io.isoswitch.sim.card.CardAccount;
import io.isoswitch.sim.card.CardGenerator;
import io.isoswitch.sim.card.IssuedCard;
import io.isoswitch.sim.fault.FaultInjector;
import io.isoswitch.sim.issuer.IssuerBank;
import io.isoswitch.sim.issuer.IssuerPolicy;
import java.security.SecureRandom;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;

/**
 * An issuer host with generated cards on a free local port, and a switch-side HSM holding the same
 * ZMK (both formed from the same clear value, under different local master keys, as two
 * institutions would).
 */
final class IssuerFixture implements AutoCloseable {
    static final String ZMK = IssuerKeys.TEST_ZMK;
    static final String PVK = IssuerKeys.TEST_PVK;

    final IssuerKeys keys = IssuerKeys.fromClear(new SoftwareHsm(LocalMasterKey.generate(new SecureRandom())), ZMK, PVK);
    final SoftwareHsm switchHsm = new SoftwareHsm(LocalMasterKey.generate(new SecureRandom()));
    final SecureKey switchZmk = IssuerKeys.fromClear(switchHsm, ZMK, PVK).zmk();
    final List<IssuedCard> cards;
    final IssuerBank bank;
    final IssuerHost host;

    IssuerFixture(FaultInjector faults) {
        CardGenerator.Options options = new CardGenerator.Options(List.of("476173"), 16, 978, 100_000, 100_000,
                YearMonth.of(2026, 1), "ACC");
        List<IssuedCard> generated = new ArrayList<>(new CardGenerator(options, keys.pvvEnroller()).generate(4, 1));
        // a fifth card verified by IBM 3624 offset rather than PVV
        IssuedCard ibm = new CardGenerator(options.withAccountPrefix("IBM"), keys.ibm3624Enroller()).generate(5, 2).get(4);
        generated.add(ibm);
        this.cards = List.copyOf(generated);
        List<CardAccount> accounts = cards.stream().map(IssuedCard::account).toList();
        this.bank = new IssuerBank("bank-a", accounts, IssuerPolicy.defaults(), java.time.Clock.systemUTC());
        this.host = IssuerHost.start(IssuerHostConfig.local(bank, keys).withFaults(faults));
    }

    IssuerFixture() {
        this(FaultInjector.none());
    }

    LinkClient connect() {
        return new LinkClient(host.port(), switchHsm, switchZmk);
    }

    IssuedCard card(int index) {
        return cards.get(index);
    }

    @Override
    public void close() {
        host.close();
    }
}
