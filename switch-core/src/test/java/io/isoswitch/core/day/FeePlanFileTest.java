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
                      - {scheme: visa, type: purchase, percent: "1.10", fixedMinor: 25, minimumMinor: 50}
                      - {percent: "0.60"}
                  - id: free
                """);
        var plans = FeePlanFile.read(file);
        assertThat(plans).hasSize(2);
        assertThat(plans.get(0).refundPolicy()).isEqualTo(RefundFeePolicy.KEEP);
        assertThat(plans.get(0).rules()).containsExactly(new FeeRule("visa", "purchase", new BigDecimal("1.10"), 25, 50, 0),
                new FeeRule("*", "*", new BigDecimal("0.60"), 0, 0, 0));
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
