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
}
