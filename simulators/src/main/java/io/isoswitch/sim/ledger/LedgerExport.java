package io.isoswitch.sim.ledger;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.io.Writer;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.dataformat.csv.CsvMapper;
import tools.jackson.dataformat.csv.CsvSchema;

/**
 * Writes a ledger out as two CSV tables with header lines, for {@code issuer --dump} and for
 * audits. Accounts: {@code account_id,currency,opening,balance,held,available}. Entries:
 * {@code id,at,account_id,kind,amount,currency,acquirer_id,stan,rrn,date,reverses,hold}, where
 * {@code date} is MMDD, {@code reverses} and {@code hold} are entry ids or empty. Amounts are minor
 * units. No card data is written: accounts are named by account id.
 */
public final class LedgerExport {
    static final DateTimeFormatter MONTH_DAY = DateTimeFormatter.ofPattern("MMdd", Locale.ROOT);
    /** Writes and reads the ledger's CSV tables ({@link LedgerLog} too). */
    static final CsvMapper MAPPER = CsvMapper.builder()
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .build();

    private LedgerExport() {
    }

    @JsonPropertyOrder({"account_id", "currency", "opening", "balance", "held", "available"})
    record AccountRow(
            @JsonProperty("account_id") String accountId,
            @JsonProperty("currency") int currency,
            @JsonProperty("opening") long opening,
            @JsonProperty("balance") long balance,
            @JsonProperty("held") long held,
            @JsonProperty("available") long available) {
    }

    @JsonPropertyOrder({"id", "at", "account_id", "kind", "amount", "currency", "acquirer_id", "stan", "rrn", "date",
        "reverses", "hold"})
    record EntryRow(
            @JsonProperty("id") long id,
            @JsonProperty("at") String at,
            @JsonProperty("account_id") String accountId,
            @JsonProperty("kind") String kind,
            @JsonProperty("amount") long amount,
            @JsonProperty("currency") int currency,
            @JsonProperty("acquirer_id") String acquirerId,
            @JsonProperty("stan") String stan,
            @JsonProperty("rrn") String rrn,
            @JsonProperty("date") String date,
            @JsonProperty("reverses") String reverses,
            @JsonProperty("hold") String hold) {
    }

    /** Writes the accounts table; the caller closes {@code out}. */
    public static void writeAccounts(List<AccountBalance> balances, Writer out) {
        List<AccountRow> rows = balances.stream()
                .map(b -> new AccountRow(b.accountId(), b.currency(), b.openingMinor(), b.balanceMinor(),
                        b.heldMinor(), b.availableMinor()))
                .toList();
        MAPPER.writer(MAPPER.schemaFor(AccountRow.class).withHeader()).writeValue(out, rows);
    }

    /** Writes the entries table; the caller closes {@code out}. */
    public static void writeEntries(List<LedgerEntry> entries, Writer out) {
        List<EntryRow> rows = entries.stream().map(LedgerExport::row).toList();
        CsvSchema schema = MAPPER.schemaFor(EntryRow.class).withHeader();
        MAPPER.writer(schema).writeValue(out, rows);
    }

    /** The entries table's row of {@code e} (the log of a bank that keeps its books, {@link LedgerLog}, adds columns to it). */
    static EntryRow row(LedgerEntry e) {
        RequestReference ref = e.reference();
        return new EntryRow(e.id(), e.at().toString(), e.accountId(), e.kind().name().toLowerCase(Locale.ROOT),
                e.amountMinor(), e.currency(), ref.acquirerId(), String.format(Locale.ROOT, "%06d", ref.stan()),
                ref.rrn(), MONTH_DAY.format(ref.date()), e.reversesEntryId() == 0 ? "" : Long.toString(e.reversesEntryId()),
                e.holdEntryId() == 0 ? "" : Long.toString(e.holdEntryId()));
    }
}
