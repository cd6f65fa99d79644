package io.isoswitch.core.node;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.isoswitch.core.config.ConfigException;
import io.isoswitch.core.config.SwitchConfig;
import io.isoswitch.core.testing.JournalBackend;
import io.isoswitch.core.testing.SwitchFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node refuses to start, naming the file and entry, when its route file names an issuer it has
 * no link to or a terminal's TMK key block does not load as a TMK (it used to start, then answer
 * every such card 91 and every such terminal's sign-on with an error).
 */
class ConfiguredFilesTest {
    @TempDir
    Path dir;

    @Test
    void refusesARouteToAnIssuerThatIsNotConfigured() throws Exception {
        Path routes = dir.resolve("bad-routes.yaml");
        Files.writeString(routes, """
                routes:
                  - {name: visa-b, bins: ["476173"], primary: bank-a, secondary: bank-c}
                """);

        assertThatThrownBy(() -> start(c -> with(c, routes.toString(), c.terminalsFile())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("route visa-b names issuer bank-c, which is not in issuers[] (configured: bank-a)");
    }

    @Test
    void refusesATerminalWhoseTmkKeyBlockDoesNotLoadUnderThisLmk() throws Exception {
        Path terminals = dir.resolve("bad-terminals.yaml");
        // a TMK formed under another installation's LMK: what a newcomer pastes from the wrong folder
        String underAnotherLmk = "D0128K0TB00S02001007TMKPB0900000F701E381AAE7777EF0F2BA0A6803B217A56626DAFC0CA192F0683690BAF0E"
                + "08381A7C95A5C9B6B7BA4A6D548B1F4F81C";
        Files.writeString(terminals, """
                merchants:
                  - {id: MERCHANT0000001, name: Shop, mcc: "5411", currency: "156"}
                terminals:
                  - {id: TERM0007, merchantId: MERCHANT0000001, dialect: iso87binary, tmkKeyBlock: "%s"}
                """.formatted(underAnotherLmk));

        assertThatThrownBy(() -> start(c -> with(c, c.routesFile(), terminals.toString())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("terminal TERM0007: tmkKeyBlock:");
    }

    private void start(UnaryOperator<SwitchConfig> change) throws Exception {
        Path run = Files.createDirectories(dir.resolve("run"));
        SwitchFixture.start(SwitchFixture.Options.of(JournalBackend.h2(), run).withConfig(change)).close();
    }

    private static SwitchConfig with(SwitchConfig c, String routesFile, String terminalsFile) {
        return new SwitchConfig(c.nodeId(), c.businessZone(), c.listeners(), c.ops(), c.journal(), c.security(), c.pipeline(),
                c.issuers(), routesFile, terminalsFile, c.limits(), c.transactions(), c.standIn(), c.settlement());
    }
}
