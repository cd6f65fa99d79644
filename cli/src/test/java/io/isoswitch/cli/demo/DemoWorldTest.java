package io.isoswitch.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoWorldTest {
    @TempDir
    Path dir;

    @Test
    void eachRunHasItsOwnOpsTokenThatTheSwitchUsesAndTheCredentialsPrint() {
        try (DemoWorld first = DemoWorld.create(dir, 0, 1, 1); DemoWorld second = DemoWorld.create(dir, 0, 1, 1)) {
            assertThat(first.opsToken()).matches("[0-9a-f]{32}");
            assertThat(first.config().ops().token()).isEqualTo(first.opsToken());
            assertThat(first.credentials()).contains(first.opsToken());
            assertThat(second.opsToken()).isNotEqualTo(first.opsToken());
        }
    }

    /** Regression: the terminal ports listened on every interface, with terminal keys the demo prints for anyone. */
    @Test
    void theTerminalPortsListenOnLoopbackUnlessAnotherAddressIsAsked() {
        try (DemoWorld world = DemoWorld.create(dir, 0, 1, 1);
             DemoWorld open = DemoWorld.create(dir, "0.0.0.0", 0, null, 1, 1, null)) {
            assertThat(world.config().listeners()).extracting(io.isoswitch.core.config.ListenerConfig::host)
                    .hasSize(3).containsOnly("127.0.0.1");
            assertThat(open.config().listeners()).extracting(io.isoswitch.core.config.ListenerConfig::host).containsOnly("0.0.0.0");
        }
    }

    @Test
    void theDemoSwitchServesUnionPaysTestKeysAndAidsToItsTerminals() {
        try (DemoWorld world = DemoWorld.create(dir, 0, 1, 1)) {
            io.isoswitch.core.emv.EmvParameters emv = io.isoswitch.core.emv.EmvParametersFile.load(Path.of(world.config().emvParametersFile()));
            assertThat(emv.caPublicKeys()).hasSize(4).allMatch(key -> key.rid().equals("A000000333"));
            assertThat(emv.applications()).hasSize(4);
        }
    }
}
