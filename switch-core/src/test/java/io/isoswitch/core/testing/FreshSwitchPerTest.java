package io.isoswitch.core.testing;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A test class whose every test gets a switch of its own on a fresh in-memory journal (H2), for
 * tests that stop, kill or drain what they run, or count from zero. The fixture's options come
 * from {@link #options}; classes that can share one switch use the per-class scenarios instead.
 */
public abstract class FreshSwitchPerTest {
    @TempDir
    protected Path dir;
    protected JournalBackend backend;
    protected SwitchFixture fixture;

    /** This class's fixture options, from the defaults. */
    protected SwitchFixture.Options options(SwitchFixture.Options defaults) {
        return defaults;
    }

    @BeforeEach
    protected final void startFreshSwitch() {
        backend = JournalBackend.h2();
        fixture = SwitchFixture.start(options(SwitchFixture.Options.of(backend, dir)));
    }

    @AfterEach
    protected final void closeFreshSwitch() {
        fixture.close();
        backend.close();
    }
}
