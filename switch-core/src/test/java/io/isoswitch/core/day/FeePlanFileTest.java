package io.isoswitch.core.day;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.isoswitch.core.config.ConfigException;
import io.isoswitch.core.config.SettlementConfig;
import io.isoswitch.core.config.SwitchConfigLoader;
import io.isoswitch.settlement.fees.FeeRule;
import io.isoswitch.settlement.fees.RefundFeePolicy;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeePlanFileTest {
    @TempDir
    Path dir;

    @Test
    void readsPlansWithDefaultsForWhatIsLeftOut() throws Exception {
        Path file = Files.writeString(dir.resolve("fees.yaml"), """
                plans:
                  - id: retail
                    refundPolicy: KEEP
                    rules:
                      - {scheme: visa, type: purchase, percent: "1.10", fixedMinor: 25, minimumMinor: 50, currency: EUR}
                      - {scheme: unionpay, percent: "0.38", maximumMinor: 2000, currency: 156}
                      - {percent: "0.60"}
                  - id: free
                """);
        var plans = FeePlanFile.read(file);
        assertThat(plans).hasSize(2);
        assertThat(plans.get(0).refundPolicy()).isEqualTo(RefundFeePolicy.KEEP);
        assertThat(plans.get(0).rules()).containsExactly(new FeeRule("visa", "purchase", new BigDecimal("1.10"), 25, 50, 0, "978"),
                new FeeRule("unionpay", "*", new BigDecimal("0.38"), 0, 0, 2000, "156"),
                new FeeRule("*", "*", new BigDecimal("0.60")));
        assertThat(plans.get(1).rules()).isEmpty();
        assertThat(plans.get(1).refundPolicy()).isEqualTo(RefundFeePolicy.RETURN_PROPORTIONAL);
    }

    @Test
    void rejectsUnknownKeysAndRulesThatCannotBeSettledExactly() throws Exception {
        Path typo = Files.writeString(dir.resolve("typo.yaml"), "plans: [{id: x, rules: [{percnt: \"1\"}]}]\n");
        assertThatThrownBy(() -> FeePlanFile.read(typo)).isInstanceOf(ConfigException.class).hasMessageContaining("percnt");
        Path fine = Files.writeString(dir.resolve("fine.yaml"), "plans: [{id: x, rules: [{percent: \"0.123456\"}]}]\n");
        assertThatThrownBy(() -> FeePlanFile.read(fine)).isInstanceOf(ConfigException.class).hasMessageContaining("4 decimals");
    }

    /**
     * Regression: a cap written for a currency of two decimals (2000 = 20.00 yuan) was applied as
     * 2000 minor units of any currency, 2000 yen or 2.000 dinars. A rule with amounts must say
     * whose minor units they are.
     */
    @Test
    void refusesARuleWithAFixedPartMinimumOrCapThatNamesNoCurrency() throws Exception {
        for (String amount : new String[] {"fixedMinor: 25", "minimumMinor: 10", "maximumMinor: 2000"}) {
            Path file = Files.writeString(dir.resolve("no-currency.yaml"), "plans: [{id: retail, rules: [{scheme: unionpay, percent: \"0.38\", "
                    + amount + "}]}]\n");
            assertThatThrownBy(() -> FeePlanFile.read(file)).as(amount).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("fee plan retail").hasMessageContaining("unionpay/*").hasMessageContaining("name the currency");
        }
        Path unknown = Files.writeString(dir.resolve("unknown.yaml"),
                "plans: [{id: retail, rules: [{percent: \"0.38\", maximumMinor: 2000, currency: XYZ}]}]\n");
        assertThatThrownBy(() -> FeePlanFile.read(unknown)).isInstanceOf(ConfigException.class).hasMessageContaining("XYZ");
    }

    @Test
    void theSettlementSectionHasDefaultsAndRefusesABadCutoverTime() {
        var config = SwitchConfigLoader.parse(new ByteArrayInputStream("nodeId: node-1\n".getBytes(StandardCharsets.UTF_8)), "test");
        assertThat(config.settlement().cutoverLocalTime()).isEqualTo(LocalTime.MIDNIGHT);
        assertThat(config.settlement().calendarRefreshMs()).isEqualTo(SettlementConfig.DEFAULT_CALENDAR_REFRESH_MS);
        var evening = SwitchConfigLoader.parse(new ByteArrayInputStream("settlement: {cutoverTime: \"22:30\"}\n"
                .getBytes(StandardCharsets.UTF_8)), "test");
        assertThat(evening.settlement().cutoverLocalTime()).isEqualTo(LocalTime.of(22, 30));
        assertThatThrownBy(() -> SwitchConfigLoader.parse(new ByteArrayInputStream("settlement: {cutoverTime: \"25:00\"}\n"
                .getBytes(StandardCharsets.UTF_8)), "test")).isInstanceOf(ConfigException.class).hasMessageContaining("settlement.cutoverTime");
    }
}
