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

    @Test
    void theDemoSwitchServesUnionPaysTestKeysAndAidsToItsTerminals() {
        try (DemoWorld world = DemoWorld.create(dir, 0, 1, 1)) {
            io.isoswitch.core.emv.EmvParameters emv = io.isoswitch.core.emv.EmvParametersFile.load(Path.of(world.config().emvParametersFile()));
            assertThat(emv.caPublicKeys()).hasSize(4).allMatch(key -> key.rid().equals("A000000333"));
            assertThat(emv.applications()).hasSize(4);
        }
    }
}
