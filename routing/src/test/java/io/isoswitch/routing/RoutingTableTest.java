package io.isoswitch.routing;

import static io.isoswitch.routing.Routes.PURCHASE_CNY_100;
import static io.isoswitch.routing.Routes.route;
import static io.isoswitch.routing.Routes.withRules;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.isoswitch.routing.RoutingDecision.NoIssuerAvailable;
import io.isoswitch.routing.RoutingDecision.NoRoute;
import io.isoswitch.routing.RoutingDecision.Routed;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RoutingTableTest {
    private static final String UNIONPAY_PAN = "6225880123456789";

    @Test
    void longestMatchWins() {
        RoutingTable table = RoutingTable.of(List.of(
                route("cup", "cup-a", null, "622588"),
                route("cup-corporate", "corp", null, "62258801..62258809"),
                route("cup-wide", "wide", null, "62000000000..62999999999")), null);
        assertThat(table.route("6225880512345678", PURCHASE_CNY_100, IssuerHealth.ALL_UP))
                .isEqualTo(new Routed("cup-wide", "wide", false));
        RoutingTable narrow = RoutingTable.of(List.of(
                route("cup", "cup-a", null, "622588"),
                route("cup-corporate", "corp", null, "62258801..62258809")), null);
        assertThat(narrow.route("6225880512345678", PURCHASE_CNY_100, IssuerHealth.ALL_UP))
                .isEqualTo(new Routed("cup-corporate", "corp", false));
        assertThat(narrow.route("6225881012345678", PURCHASE_CNY_100, IssuerHealth.ALL_UP))
                .isEqualTo(new Routed("cup", "cup-a", false));
    }

    @Test
    void noRangeAndNoDefaultGivesNoRoute() {
        RoutingTable table = RoutingTable.of(List.of(route("cup", "cup-a", null, "622588")), null);
        assertThat(table.route("4111111111111111", PURCHASE_CNY_100, IssuerHealth.ALL_UP)).isSameAs(NoRoute.INSTANCE);
        assertThat(RoutingTable.empty().route(UNIONPAY_PAN, PURCHASE_CNY_100, IssuerHealth.ALL_UP))
                .isInstanceOf(NoRoute.class);
        assertThat(table.routeFor("4111111111111111")).isNull();
    }

    @Test
    void unmatchedBinsTakeTheDefaultRoute() {
        RouteDefinition fallback = new RouteDefinition("default", List.of(), new Issuers("own-host", null), List.of());
        RoutingTable table = RoutingTable.of(List.of(route("cup", "cup-a", null, "622588")), fallback);
        assertThat(table.route("4111111111111111", PURCHASE_CNY_100, IssuerHealth.ALL_UP))
                .isEqualTo(new Routed("default", "own-host", false));
        assertThat(table.routeFor(UNIONPAY_PAN).name()).isEqualTo("cup");
    }

    @Test
    void failsOverToTheSecondaryThenReportsNoIssuer() {
        RoutingTable table = RoutingTable.of(List.of(route("cup", "cup-a", "cup-b", "622588")), null);
        assertThat(table.route(UNIONPAY_PAN, PURCHASE_CNY_100, issuer -> !issuer.equals("cup-a")))
                .isEqualTo(new Routed("cup", "cup-b", true));
        assertThat(table.route(UNIONPAY_PAN, PURCHASE_CNY_100, issuer -> false))
                .isEqualTo(new NoIssuerAvailable("cup", "cup-a", "cup-b"));
        RoutingTable single = RoutingTable.of(List.of(route("cup", "cup-a", null, "622588")), null);
        assertThat(single.route(UNIONPAY_PAN, PURCHASE_CNY_100, issuer -> false))
                .isEqualTo(new NoIssuerAvailable("cup", "cup-a", null));
    }

    @Test
    void theFirstMatchingRulePicksTheIssuers() {
        RouteRule highValue = new RouteRule("high-value", Set.of("0200"), Set.of("00"), Set.of(156), 1_000_000L, null,
                new Issuers("cup-high", null));
        RouteRule balance = new RouteRule("balance", Set.of("0200"), Set.of("310000"), Set.of(), null, null,
                new Issuers("cup-inquiry", null));
        RouteRule anyUsd = new RouteRule("usd", Set.of(), Set.of(), Set.of(840), null, 999L, new Issuers("intl", null));
        RoutingTable table = RoutingTable.of(List.of(
                withRules(route("cup", "cup-a", null, "622588"), highValue, balance, anyUsd)), null);
        assertThat(issuerFor(table, new TransactionFacts("0200", "000000", 156, 1_000_000))).isEqualTo("cup-high");
        assertThat(issuerFor(table, new TransactionFacts("0200", "000000", 156, 999_999))).isEqualTo("cup-a");
        assertThat(issuerFor(table, new TransactionFacts("0100", "000000", 156, 5_000_000))).isEqualTo("cup-a");
        assertThat(issuerFor(table, new TransactionFacts("0200", "000000", 840, 5_000_000))).isEqualTo("cup-a");
        assertThat(issuerFor(table, new TransactionFacts("0200", "310000", 156, 0))).isEqualTo("cup-inquiry");
        assertThat(issuerFor(table, new TransactionFacts("0200", "301000", 156, 0))).isEqualTo("cup-a");
        assertThat(issuerFor(table, new TransactionFacts("0400", "000000", 840, 999))).isEqualTo("intl");
        assertThat(issuerFor(table, new TransactionFacts("0400", "000000", 840, 1000))).isEqualTo("cup-a");
    }

    @Test
    void rejectsOverlappingRangesOfOneLengthNamingBothRoutes() {
        assertThatThrownBy(() -> RoutingTable.of(List.of(
                route("cup", "cup-a", null, "62258800..62258899"),
                route("other", "x", null, "41111111", "62258850..62258950")), null))
                .isInstanceOf(RoutingException.class)
                .hasMessage("BIN range 62258800..62258899 of route cup overlaps BIN range 62258850..62258950 of route other");
        assertThatThrownBy(() -> RoutingTable.of(List.of(route("cup", "cup-a", null, "622588", "622588")), null))
                .hasMessageContaining("of route cup overlaps BIN range 622588 of route cup");
    }

    @Test
    void acceptsNestedRangesOfDifferentLengths() {
        RoutingTable table = RoutingTable.of(List.of(route("a", "x", null, "622588"),
                route("b", "y", null, "62258800..62258899"), route("c", "z", null, "62258850000")), null);
        assertThat(table.rangeCount()).isEqualTo(3);
    }

    @Test
    void rejectsDuplicateNamesRoutesWithoutBinsAndADefaultWithBins() {
        assertThatThrownBy(() -> RoutingTable.of(List.of(route("cup", "a", null, "622588"),
                route("cup", "b", null, "622589")), null)).hasMessage("route name 'cup' is used twice");
        assertThatThrownBy(() -> RoutingTable.of(List.of(route("cup", "a", null)), null))
                .hasMessage("route cup has no BIN ranges");
        assertThatThrownBy(() -> RoutingTable.of(List.of(), route("default", "a", null, "622588")))
                .hasMessage("the default route default must not list BIN ranges");
        assertThatThrownBy(() -> new Issuers("a", "a")).hasMessageContaining("must differ");
        assertThatThrownBy(() -> new RouteRule("r", null, Set.of("0"), null, null, null, new Issuers("a", null)))
                .hasMessageContaining("processing code '0' must have 2 or 6 digits");
        assertThatThrownBy(() -> new RouteRule("r", null, null, null, 5L, 4L, new Issuers("a", null)))
                .hasMessageContaining("minAmountMinor 5 is above maxAmountMinor 4");
    }

    @Test
    void returnsTheSameDecisionObjectsEveryTime() {
        RoutingTable table = RoutingTable.of(List.of(route("cup", "cup-a", "cup-b", "622588")), null);
        assertThat(table.route(UNIONPAY_PAN, PURCHASE_CNY_100, IssuerHealth.ALL_UP))
                .isSameAs(table.route(UNIONPAY_PAN, PURCHASE_CNY_100, IssuerHealth.ALL_UP));
    }

    private static String issuerFor(RoutingTable table, TransactionFacts facts) {
        return ((Routed) table.route(UNIONPAY_PAN, facts, IssuerHealth.ALL_UP)).issuer();
    }
}
