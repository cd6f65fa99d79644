package io.isoswitch.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.isoswitch.routing.RoutingDecision.Routed;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RouteFileTest {
    @Test
    void loadsTheDocumentedExample(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("routes.yaml");
        Files.writeString(file, example(), StandardCharsets.UTF_8);
        RoutingTable table = RouteFile.load(file);
        assertThat(table.rangeCount()).isEqualTo(5);
        assertThat(table.defaultRoute().name()).isEqualTo("default");
        assertThat(issuer(table, "6225880000000001", new TransactionFacts("0200", "000000", 156, 5_000_000)))
                .isEqualTo("cup-high-value");
        assertThat(issuer(table, "6225880000000001", new TransactionFacts("0200", "000000", 840, 100)))
                .isEqualTo("cup-international");
        assertThat(issuer(table, "6200012345678901", new TransactionFacts("0200", "000000", 156, 100)))
                .isEqualTo("cup-shanghai");
        assertThat(issuer(table, "4111125555555555", new TransactionFacts("0200", "000000", 156, 100)))
                .isEqualTo("visa-sim");
        assertThat(issuer(table, "5500000000000004", new TransactionFacts("0200", "000000", 156, 100)))
                .isEqualTo("own-host");
    }

    @Test
    void rejectsUnknownKeysNamingTheirPath() {
        assertThatThrownBy(() -> RouteFile.parse("""
                routes:
                  - name: cup
                    bins: ["622588"]
                    primry: cup-a
                """)).isInstanceOf(RoutingException.class)
                .hasMessageStartingWith("malformed route file at routes[0].primry: ");
    }

    @Test
    void namesTheBadRangeAndTheOverlappingRoutes() {
        assertThatThrownBy(() -> RouteFile.parse("""
                routes:
                  - {name: cup, bins: ["62258"], primary: a}
                """)).hasMessage("BIN range '62258' must have 6 to 11 digits");
        assertThatThrownBy(() -> RouteFile.parse("""
                routes:
                  - {name: cup, bins: ["622588"], primary: a}
                  - {name: dup, bins: ["622588"], primary: b}
                """)).hasMessage("BIN range 622588 of route cup overlaps BIN range 622588 of route dup");
    }

    @Test
    void requiresPrimaryIssuersAndBins() {
        assertThatThrownBy(() -> RouteFile.parse("routes: [{name: cup, bins: [\"622588\"]}]"))
                .hasMessage("cup needs a primary issuer");
        assertThatThrownBy(() -> RouteFile.parse("routes: [{name: cup, primary: a}]"))
                .hasMessage("route cup lists no bins");
        assertThatThrownBy(() -> RouteFile.parse("")).hasMessageContaining("empty");
    }

    @Test
    void namesTheFileItCouldNotRead(@TempDir Path dir) {
        assertThatThrownBy(() -> RouteFile.load(dir.resolve("missing.yaml")))
                .isInstanceOf(RoutingException.class).hasMessageContaining("missing.yaml");
    }

    private static String issuer(RoutingTable table, String pan, TransactionFacts facts) {
        return ((Routed) table.route(pan, facts, IssuerHealth.ALL_UP)).issuer();
    }

    private static String example() throws IOException {
        try (InputStream in = Objects.requireNonNull(RouteFileTest.class.getResourceAsStream("/routes-example.yaml"))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
