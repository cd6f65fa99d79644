package io.isoswitch.settlement.clearing;

import io.isoswitch.settlement.SqlFailures;
import io.isoswitch.settlement.db.JournalDatabase;
import io.isoswitch.settlement.db.Transactions;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a settled date's files under {@code out/<date>/}, each atomically ({@link AtomicFile}),
 * from the settled rows and the fee schedule the run recorded, so writing them again gives the
 * same bytes:
 *
 * <pre>
 * merchant-&lt;merchantId&gt;.csv  one D line per transaction, then a T line per currency (the id as {@link #fileName} writes it):
 *   record,business_date,local_time,terminal_id,type,masked_pan,rrn,auth_code,currency,amount_minor,fee_minor,net_minor
 *   T,currency,transactions,sales_count,sales_minor,refund_count,refund_minor,fee_minor,net_minor
 * clearing-&lt;issuerId&gt;.csv     one D line per cleared transaction (amount: + debits, - credits the card; what stands,
 *                              {@link SettlementSql#clearedLines}), then a T line per currency:
 *   record,rrn,stan,local_time,transaction_date,business_date,type,masked_pan,currency,amount_minor,auth_code,merchant_id,terminal_id
 *   T,currency,records,debit_count,debit_minor,credit_count,credit_minor,net_minor
 * </pre>
 *
 * Card numbers appear only masked (first 6, last 4). Rows stream from the database; only one file
 * is open at a time. Before writing, the temporary files a killed earlier run left in the date's
 * directory (unchanged for {@link AtomicFile#STALE_TEMPORARY_AGE} or more) are removed and logged.
 */
public final class SettlementFiles {
    static final String MERCHANT_HEADER = "record,business_date,local_time,terminal_id,type,masked_pan,rrn,auth_code,currency,"
            + "amount_minor,fee_minor,net_minor";
    static final String CLEARING_HEADER = "record,rrn,stan,local_time,transaction_date,business_date,type,masked_pan,currency,"
            + "amount_minor,auth_code,merchant_id,terminal_id";
    private static final int FETCH_SIZE = 10_000;
    private static final long PROGRESS_EVERY = 1_000_000;

    private static final Logger LOG = LoggerFactory.getLogger(SettlementFiles.class);

    private final DataSource dataSource;

    public SettlementFiles(JournalDatabase database) {
        this.dataSource = database.dataSource();
    }

    /** Writes every merchant report and clearing file of settled date {@code date}; returns the files. */
    public List<Path> write(LocalDate date, Path out, SettlementProgress progress) {
        return write(date, out, progress, List.of());
    }

    /**
     * As {@link #write(LocalDate, Path, SettlementProgress)}, with a clearing file for each of
     * {@code issuers} too where the date cleared nothing to it: the header alone, so that an issuer
     * that expects a file every business day gets one, saying there is nothing to clear.
     */
    public List<Path> write(LocalDate date, Path out, SettlementProgress progress, java.util.Collection<String> issuers) {
        Path directory = out.resolve(date.toString());
        List<Path> stale = AtomicFile.removeStaleTemporaries(directory, Instant.now().minus(AtomicFile.STALE_TEMPORARY_AGE));
        if (!stale.isEmpty()) {
            LOG.warn("removed {} temporary file(s) an earlier settle of {} left unfinished in {}: {}", stale.size(), date, directory,
                    stale.stream().map(p -> p.getFileName().toString()).toList());
        }
        try {
            return Transactions.inTransaction(dataSource, c -> {
                List<Path> written = new ArrayList<>();
                written.addAll(merchantReports(c, date, directory, progress));
                written.addAll(clearingFiles(c, date, directory, progress));
                written.addAll(emptyClearingFiles(issuers, written, directory));
                if (!written.isEmpty()) {
                    AtomicFile.forceDirectory(directory);
                }
                return written;
            });
        } catch (SQLException e) {
            throw SqlFailures.translate(e, "settlement files of " + date);
        }
    }

    private static List<Path> merchantReports(Connection c, LocalDate date, Path directory, SettlementProgress progress)
            throws SQLException {
        String sql = "SELECT * FROM (" + SettlementSql.lines(RunScope.load(c, date)) + ") l ORDER BY l.merchant_id, l.local_time, l.journal_id";
        return each(c, sql, "merchant_id", "merchant-", true, directory, MERCHANT_HEADER, progress, "merchant report lines",
                new MerchantLines());
    }

    private static List<Path> clearingFiles(Connection c, LocalDate date, Path directory, SettlementProgress progress)
            throws SQLException {
        String sql = SettlementSql.clearedLines(RunScope.load(c, date));
        return each(c, sql, "issuer_id", "clearing-", false, directory, CLEARING_HEADER, progress, "clearing records",
                new ClearingLines());
    }

    /** The header-only clearing files of those of {@code issuers} that {@code written} holds no file of. */
    private static List<Path> emptyClearingFiles(java.util.Collection<String> issuers, List<Path> written, Path directory) {
        List<Path> empty = new ArrayList<>();
        for (String issuer : new java.util.TreeSet<>(issuers)) {
            Path path = directory.resolve("clearing-" + fileName(issuer, false) + ".csv");
            if (!written.contains(path)) {
                try (AtomicFile file = new AtomicFile(path)) {
                    file.line(CLEARING_HEADER);
                    file.commit();
                }
                empty.add(path);
            }
        }
        return empty;
    }

    /** How one kind of file turns rows into lines and totals. */
    private interface Lines {
        String detail(ResultSet r, Map<String, long[]> totals) throws SQLException;

        List<String> trailer(Map<String, long[]> totals);
    }

    private static List<Path> each(Connection c, String sql, String groupColumn, String prefix, boolean upperCase, Path directory,
                                   String header, SettlementProgress progress, String step, Lines lines) throws SQLException {
        List<Path> written = new ArrayList<>();
        long rows = 0;
        try (Statement s = c.createStatement()) {
            s.setFetchSize(FETCH_SIZE);
            try (ResultSet r = s.executeQuery(sql)) {
                String group = null;
                AtomicFile file = null;
                Map<String, long[]> totals = new TreeMap<>();
                try {
                    while (r.next()) {
                        String next = r.getString(groupColumn);
                        if (!next.equals(group)) {
                            if (file != null) {
                                finish(file, lines, totals);
                            }
                            group = next;
                            Path path = directory.resolve(prefix + fileName(group, upperCase) + ".csv");
                            written.add(path);
                            file = new AtomicFile(path);
                            file.line(header);
                            totals = new TreeMap<>();
                        }
                        file.line(lines.detail(r, totals));
                        if (++rows % PROGRESS_EVERY == 0) {
                            progress.stepDone(step, rows);
                        }
                    }
                    if (file != null) {
                        finish(file, lines, totals);
                    }
                } finally {
                    if (file != null) {
                        file.close();
                    }
                }
            }
        }
        progress.stepDone(step, rows);
        return written;
    }

    private static void finish(AtomicFile file, Lines lines, Map<String, long[]> totals) {
        lines.trailer(totals).forEach(file::line);
        file.commit();
        file.close();
    }

    /**
     * The part of a file name that stands for {@code id}, distinct for every id, on file systems
     * that ignore case too, and the same in every run. An id of ASCII letters, digits, '-' and '_'
     * in the usual case of its kind ({@code upperCase}: merchant ids, {@code M1}; else issuer ids,
     * {@code bank-a}) is its own name. Any other id is written in its safe form (each other character
     * replaced by '_') followed by '~' and the first 8 hex digits of the SHA-256 of its UTF-8 bytes:
     * {@code SHOP.1} is {@code SHOP_1~<hash>}, beside {@code SHOP_1}; {@code m1} is
     * {@code m1~<hash>}, beside {@code M1}. A plain name never holds '~', and plain names in one case
     * differ in more than case, so no two ids share a name (before, {@code SHOP.1} and
     * {@code SHOP_1} both wrote {@code merchant-SHOP_1.csv}, and one report replaced the other).
     */
    static String fileName(String id, boolean upperCase) {
        String safe = id.replaceAll("[^A-Za-z0-9_-]", "_");
        boolean otherCase = upperCase ? id.chars().anyMatch(ch -> ch >= 'a' && ch <= 'z')
                : id.chars().anyMatch(ch -> ch >= 'A' && ch <= 'Z');
        if (safe.equals(id) && !id.isEmpty() && !otherCase) {
            return id;
        }
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(id.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return safe + "~" + java.util.HexFormat.of().formatHex(digest, 0, 4);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    private static String text(ResultSet r, String column) throws SQLException {
        String value = r.getString(column);
        return value == null ? "" : value.replace(',', ' ').strip();
    }

    /** Always with seconds: {@code LocalDateTime.toString()} leaves them out on a whole minute ({@code 10:00}). */
    private static final java.time.format.DateTimeFormatter LOCAL_TIME =
            java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss", java.util.Locale.ROOT);

    private static String localTime(ResultSet r) throws SQLException {
        java.time.LocalDateTime time = r.getObject("local_time", java.time.LocalDateTime.class);
        return time == null ? "" : LOCAL_TIME.format(time);
    }

    private static final class MerchantLines implements Lines {
        // per currency: transactions, sales count, sales, refund count, refunds, fees, net
        @Override
        public String detail(ResultSet r, Map<String, long[]> totals) throws SQLException {
            String currency = r.getString("currency");
            long amount = r.getLong("merchant_minor");
            long fee = r.getLong("fee_minor");
            long sign = r.getLong("sign");
            long unsigned = r.getLong("amount_minor");
            long[] t = totals.computeIfAbsent(currency, k -> new long[7]);
            t[0]++;
            if ("SALE".equals(r.getString("category"))) {
                t[1] += sign;
                t[2] += sign * unsigned;
            } else {
                t[3] += sign;
                t[4] += sign * unsigned;
            }
            t[5] += fee;
            t[6] += amount - fee;
            return String.join(",", "D", r.getObject("business_date", LocalDate.class).toString(), localTime(r),
                    text(r, "terminal_id"), text(r, "record_type"), text(r, "masked_pan"), text(r, "switch_rrn"),
                    text(r, "auth_code"), currency, Long.toString(amount), Long.toString(fee), Long.toString(amount - fee));
        }

        @Override
        public List<String> trailer(Map<String, long[]> totals) {
            List<String> out = new ArrayList<>();
            totals.forEach((currency, t) -> out.add(String.join(",", "T", currency, Long.toString(t[0]), Long.toString(t[1]),
                    Long.toString(t[2]), Long.toString(t[3]), Long.toString(t[4]), Long.toString(t[5]), Long.toString(t[6]))));
            return out;
        }
    }

    private static final class ClearingLines implements Lines {
        // per currency: records, debit count, debits, credit count, credits, net
        @Override
        public String detail(ResultSet r, Map<String, long[]> totals) throws SQLException {
            String currency = r.getString("currency");
            long amount = r.getLong("merchant_minor");
            long[] t = totals.computeIfAbsent(currency, k -> new long[6]);
            t[0]++;
            if (amount >= 0) {
                t[1]++;
                t[2] += amount;
            } else {
                t[3]++;
                t[4] -= amount;
            }
            t[5] += amount;
            return String.join(",", "D", text(r, "switch_rrn"), text(r, "switch_stan"), localTime(r),
                    r.getObject("transaction_date", LocalDate.class).toString(), r.getObject("business_date", LocalDate.class).toString(),
                    text(r, "record_type"), text(r, "masked_pan"), currency, Long.toString(amount), text(r, "auth_code"),
                    text(r, "merchant_id"), text(r, "terminal_id"));
        }

        @Override
        public List<String> trailer(Map<String, long[]> totals) {
            List<String> out = new ArrayList<>();
            totals.forEach((currency, t) -> out.add(String.join(",", "T", currency, Long.toString(t[0]), Long.toString(t[1]),
                    Long.toString(t[2]), Long.toString(t[3]), Long.toString(t[4]), Long.toString(t[5]))));
            return out;
        }
    }
}
