package io.isoswitch.core.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LimitsConfigTest {
    private final LimitSet defaults = new LimitSet(Map.of("*", new LimitRule(0, 0, 50)), null, null);
    private final LimitSet restaurants = new LimitSet(Map.of("*", new LimitRule(0, 0, 20)), null, null);
    private final LimitSet oneShop = new LimitSet(Map.of("PURCHASE", new LimitRule(100, 0, 0)), null, null);
    private final LimitsConfig config = new LimitsConfig(
            Map.of(LimitsConfig.DEFAULT_CATEGORY, defaults, "5812", restaurants), Map.of("SHOP1", oneShop));

    @Test
    void aMerchantsOwnSetBeatsItsCategoryWhichBeatsTheDefault() {
        assertThat(config.forMerchant("SHOP1", "5812")).isEqualTo(oneShop);
        assertThat(config.forMerchant("OTHER", "5812")).isEqualTo(restaurants);
        assertThat(config.forMerchant("OTHER", "5411")).isEqualTo(defaults);
        assertThat(LimitsConfig.none().forMerchant("ANY", "5411").card()).isEmpty();
    }

    @Test
    void aTypesOwnRuleBeatsTheWildcard() {
        Map<String, LimitRule> rules = Map.of("*", new LimitRule(0, 0, 5), "REFUND", new LimitRule(0, 0, 1));
        assertThat(LimitSet.ruleFor(rules, "REFUND")).contains(new LimitRule(0, 0, 1));
        assertThat(LimitSet.ruleFor(rules, "PURCHASE")).contains(new LimitRule(0, 0, 5));
        assertThat(LimitSet.ruleFor(Map.of(), "PURCHASE")).isEmpty();
    }

    @Test
    void saysWhereOneWayOfDebitingIsCappedAndAnotherIsNot() {
        // SHOP1 caps purchases per card and leaves pre-authorizations free; the wildcard sets cap both
        assertThat(Limits.warnOfUncappedDebits(config)).singleElement().asString()
                .startsWith("card limits of merchant SHOP1 cap one way of debiting but not [PREAUTH]");
        LimitSet both = new LimitSet(Map.of("PURCHASE", new LimitRule(100, 0, 0), "PREAUTH", new LimitRule(100, 0, 0)), null, null);
        assertThat(Limits.warnOfUncappedDebits(new LimitsConfig(Map.of(LimitsConfig.DEFAULT_CATEGORY, both), Map.of()))).isEmpty();
        assertThat(Limits.warnOfUncappedDebits(LimitsConfig.none())).isEmpty();
    }

    @Test
    void refusesARuleForATypeTheLimitsNeverCheck() {
        assertThatThrownBy(() -> new LimitSet(Map.of("purchase", new LimitRule(0, 0, 1)), null, null))
                .hasMessageContaining("card limits: unknown transaction type 'purchase'").hasMessageEndingWith("did you mean PURCHASE?");
        assertThatThrownBy(() -> new LimitSet(null, null, Map.of("PURCHASE_VOID", new LimitRule(0, 0, 1))))
                .hasMessageContaining("merchant limits: unknown transaction type 'PURCHASE_VOID'");
        assertThat(new LimitSet(null, Map.of("*", new LimitRule(0, 0, 1), "PREAUTH_COMPLETION_ADVICE", new LimitRule(0, 0, 1)), null)
                .terminal()).hasSize(2);
    }

    @Test
    void refusesNegativeLimits() {
        assertThatThrownBy(() -> new LimitRule(-1, 0, 0)).hasMessageContaining("negative");
    }
}
