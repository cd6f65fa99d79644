package io.isoswitch.core.node;

import io.isoswitch.core.testing.JournalBackend;
import io.isoswitch.core.testing.SwitchFixture;
import io.isoswitch.sim.card.IssuedCard;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every end-to-end scenario class shares: one switch fixture per class on the journal database
 * its subclass names, fresh STANs, and cards no other test of the class touches.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class EndToEndScenarios {
    @TempDir
    static Path dir;
    SwitchFixture fixture;
    JournalBackend backend;
    private final AtomicInteger stans = new AtomicInteger(100);
    private final AtomicInteger cards = new AtomicInteger();

    /** The journal database of this run. */
    abstract JournalBackend backend();

    /** This class's fixture options, from the defaults. */
    SwitchFixture.Options options(SwitchFixture.Options defaults) {
        return defaults;
    }

    @BeforeAll
    void start() {
        backend = backend();
        fixture = SwitchFixture.start(options(SwitchFixture.Options.of(backend, dir)));
    }

    @AfterAll
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
        backend.close();
    }

    String stan() {
        return String.format(Locale.ROOT, "%06d", stans.incrementAndGet());
    }

    /** A card no other test of the class touches, so its balances are this test's alone. */
    IssuedCard card() {
        return fixture.issuer().card(cards.getAndIncrement());
    }
}
