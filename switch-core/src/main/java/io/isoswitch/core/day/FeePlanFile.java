package io.isoswitch.core.day;

import io.isoswitch.core.config.ConfigException;
import io.isoswitch.settlement.fees.FeePlan;
import io.isoswitch.settlement.fees.FeeRule;
import io.isoswitch.settlement.fees.RefundFeePolicy;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Fee plans from YAML; merchants name theirs by {@code feePlanId}:
 *
 * <pre>
 * plans:
 *   - id: retail
 *     refundPolicy: RETURN_PROPORTIONAL      # or RETURN_PERCENTAGE_ONLY, KEEP
 *     rules:
 *       - {scheme: "*", type: "*", percent: "0.60"}
 *       - {scheme: unionpay, type: "*", percent: "0.38", minimumMinor: 10, maximumMinor: 2000, currency: CNY}
 *       - {scheme: visa, type: purchase, percent: "1.10", fixedMinor: 25, minimumMinor: 50, currency: EUR}
 * </pre>
 *
 * <p>A rule with a fixed part, minimum or cap names the currency of those minor units (ISO 4217,
 * alphabetic or numeric) and prices only that currency's transactions; a file where one does not is
 * refused, naming the plan and the rule.
 */
public final class FeePlanFile {
    private static final ObjectMapper YAML = YAMLMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private FeePlanFile() {
    }

    record Contents(List<PlanEntry> plans) {
    }

    record PlanEntry(String id, RefundFeePolicy refundPolicy, List<RuleEntry> rules) {
        FeePlan toPlan() {
            try {
                return new FeePlan(id, rules == null ? List.of() : rules.stream().map(RuleEntry::toRule).toList(),
                        refundPolicy == null ? RefundFeePolicy.RETURN_PROPORTIONAL : refundPolicy);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("fee plan " + id + ": " + e.getMessage(), e);
            }
        }
    }

    record RuleEntry(String scheme, String type, BigDecimal percent, Long fixedMinor, Long minimumMinor, Long maximumMinor,
                     String currency) {
        FeeRule toRule() {
            return new FeeRule(scheme == null ? FeeRule.ANY : scheme, type == null ? FeeRule.ANY : type,
                    percent == null ? BigDecimal.ZERO : percent, orZero(fixedMinor), orZero(minimumMinor), orZero(maximumMinor),
                    currency == null ? FeeRule.ANY : currency);
        }

        private static long orZero(Long value) {
            return value == null ? 0 : value;
        }
    }

    /** The file's plans, checked. */
    public static List<FeePlan> read(Path file) {
        try {
            Contents contents = YAML.readValue(Files.readString(file), Contents.class);
            return contents == null || contents.plans() == null ? List.of() : contents.plans().stream().map(PlanEntry::toPlan).toList();
        } catch (IOException e) {
            throw new ConfigException("cannot read fee plans file " + file + ": " + e.getMessage(), e);
        } catch (JacksonException | IllegalArgumentException | NullPointerException e) {
            throw new ConfigException("fee plans file " + file + ": " + e.getMessage(), e);
        }
    }
}
