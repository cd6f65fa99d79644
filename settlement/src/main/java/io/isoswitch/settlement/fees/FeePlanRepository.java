package io.isoswitch.settlement.fees;

import io.isoswitch.settlement.SqlFailures;
import io.isoswitch.settlement.db.JournalDatabase;
import io.isoswitch.settlement.db.SqlValues;
import io.isoswitch.settlement.db.Transactions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Fee plans in the journal database ({@code fee_plan}, {@code fee_rule}): the one place settlement
 * reads them from. Blocking: call at start, from a command, or from a worker thread.
 */
public final class FeePlanRepository {
    private static final String DELETE_PLAN = "DELETE FROM fee_plan WHERE plan_id = ?";
    private static final String INSERT_PLAN = "INSERT INTO fee_plan (plan_id, refund_policy, updated_at) VALUES (?, ?, ?)";
    private static final String INSERT_RULE = """
            INSERT INTO fee_rule (plan_id, scheme, transaction_type, percent, fixed_minor, minimum_minor, maximum_minor, currency)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)""";
    private static final String SELECT = """
            SELECT p.plan_id, p.refund_policy, r.scheme, r.transaction_type, r.percent, r.fixed_minor, r.minimum_minor,
                   r.maximum_minor, r.currency
              FROM fee_plan p LEFT JOIN fee_rule r ON r.plan_id = p.plan_id
             ORDER BY p.plan_id, r.scheme, r.transaction_type, r.currency""";

    private final DataSource dataSource;
    private final Clock clock;

    public FeePlanRepository(JournalDatabase database, Clock clock) {
        this.dataSource = database.dataSource();
        this.clock = clock;
    }

    /** Creates or replaces {@code plans}, each with all its rules, in one transaction. */
    public void replace(List<FeePlan> plans) {
        try {
            Transactions.inTransaction(dataSource, c -> {
                for (FeePlan plan : plans) {
                    replace(c, plan);
                }
                return null;
            });
        } catch (SQLException e) {
            throw SqlFailures.translate(e, "fee plan upsert");
        }
    }

    private void replace(Connection c, FeePlan plan) throws SQLException {
        try (PreparedStatement delete = c.prepareStatement(DELETE_PLAN)) {
            delete.setString(1, plan.id());
            delete.executeUpdate();
        }
        try (PreparedStatement insert = c.prepareStatement(INSERT_PLAN)) {
            insert.setString(1, plan.id());
            insert.setString(2, plan.refundPolicy().name());
            SqlValues.setInstant(insert, 3, clock.instant());
            insert.executeUpdate();
        }
        try (PreparedStatement insert = c.prepareStatement(INSERT_RULE)) {
            for (FeeRule rule : plan.rules()) {
                insert.setString(1, plan.id());
                insert.setString(2, rule.scheme());
                insert.setString(3, rule.type());
                insert.setBigDecimal(4, rule.percent());
                insert.setLong(5, rule.fixedMinor());
                insert.setLong(6, rule.minimumMinor());
                insert.setLong(7, rule.maximumMinor());
                insert.setString(8, rule.currency());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /** Every plan with its rules, by id. */
    public Map<String, FeePlan> findAll() {
        try {
            return Transactions.inTransaction(dataSource, FeePlanRepository::findAll);
        } catch (SQLException e) {
            throw SqlFailures.translate(e, "fee plan lookup");
        }
    }

    /** Every plan with its rules, by id, read on {@code c}. */
    public static Map<String, FeePlan> findAll(Connection c) throws SQLException {
        Map<String, RefundFeePolicy> policies = new LinkedHashMap<>();
        Map<String, List<FeeRule>> rules = new LinkedHashMap<>();
        try (PreparedStatement s = c.prepareStatement(SELECT); ResultSet r = s.executeQuery()) {
            while (r.next()) {
                String id = r.getString(1);
                policies.put(id, RefundFeePolicy.valueOf(r.getString(2)));
                List<FeeRule> planRules = rules.computeIfAbsent(id, k -> new ArrayList<>());
                if (r.getString(3) != null) {
                    planRules.add(rule(id, r));
                }
            }
        }
        Map<String, FeePlan> plans = new LinkedHashMap<>();
        policies.forEach((id, policy) -> plans.put(id, new FeePlan(id, rules.get(id), policy)));
        return plans;
    }

    /**
     * A stored rule; one stored before rules named their currency, with a fixed part, minimum or
     * cap, is refused (its minor units cannot be told apart): store the plan again from its file.
     */
    private static FeeRule rule(String planId, ResultSet r) throws SQLException {
        try {
            return new FeeRule(r.getString(3), r.getString(4), r.getBigDecimal(5), r.getLong(6), r.getLong(7), r.getLong(8),
                    r.getString(9));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("fee plan " + planId + " in the database: " + e.getMessage(), e);
        }
    }

    public Optional<FeePlan> find(String planId) {
        return Optional.ofNullable(findAll().get(planId));
    }
}
