package io.isoswitch.settlement.store;

import io.isoswitch.settlement.SqlFailures;
import io.isoswitch.settlement.db.JournalDatabase;
import io.isoswitch.settlement.db.SqlValues;
import io.isoswitch.settlement.db.Transactions;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Merchants in the journal database. Blocking: call at start, on reload, or from a worker thread. */
public final class MerchantRepository {
    private static final String UPDATE = """
            UPDATE merchant SET name = ?, mcc = ?, currency = ?, fee_plan_id = ?, updated_at = ? WHERE merchant_id = ?""";
    private static final String INSERT = """
            INSERT INTO merchant (name, mcc, currency, fee_plan_id, updated_at, merchant_id) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT DO NOTHING""";
    private static final String SELECT = "SELECT merchant_id, name, mcc, currency, fee_plan_id FROM merchant";

    private final DataSource dataSource;
    private final Clock clock;

    public MerchantRepository(JournalDatabase database, Clock clock) {
        this.dataSource = database.dataSource();
        this.clock = clock;
    }

    /** Creates or replaces {@code merchant}. */
    public void upsert(Merchant merchant) {
        try {
            Transactions.inTransaction(dataSource, c -> {
                try (PreparedStatement update = c.prepareStatement(UPDATE);
                     PreparedStatement insert = c.prepareStatement(INSERT)) {
                    bind(update, merchant);
                    bind(insert, merchant);
                    Upserts.upsert(update::executeUpdate, insert::executeUpdate);
                }
                return null;
            });
        } catch (SQLException e) {
            throw SqlFailures.translate(e, "merchant upsert " + merchant.merchantId());
        }
    }

    public Optional<Merchant> find(String merchantId) {
        return query(SELECT + " WHERE merchant_id = ?", merchantId).stream().findFirst();
    }

    public List<Merchant> findAll() {
        return query(SELECT + " ORDER BY merchant_id", null);
    }

    private void bind(PreparedStatement s, Merchant m) throws SQLException {
        s.setString(1, m.name());
        s.setString(2, m.mcc());
        s.setString(3, m.currency());
        s.setString(4, m.feePlanId());
        SqlValues.setInstant(s, 5, clock.instant());
        s.setString(6, m.merchantId());
    }

    private List<Merchant> query(String sql, String id) {
        try {
            return Transactions.inTransaction(dataSource, c -> {
                List<Merchant> merchants = new ArrayList<>();
                try (PreparedStatement s = c.prepareStatement(sql)) {
                    if (id != null) {
                        s.setString(1, id);
                    }
                    try (ResultSet r = s.executeQuery()) {
                        while (r.next()) {
                            merchants.add(new Merchant(r.getString(1), r.getString(2), r.getString(3), r.getString(4),
                                    r.getString(5)));
                        }
                    }
                }
                return merchants;
            });
        } catch (SQLException e) {
            throw SqlFailures.translate(e, "merchant lookup");
        }
    }
}
