package io.isoswitch.sim.issuer;

import io.isoswitch.sim.ledger.AccountBalance;
import io.isoswitch.sim.ledger.LedgerEntry;
import io.isoswitch.sim.ledger.LedgerExport;
import java.io.Writer;
import java.util.List;

/**
 * An issuer bank's accounts and entries taken at one instant (under the bank's lock), for dumps
 * and audits.
 *
 * @param balances every account's balances
 * @param entries  every ledger entry, in booking order
 */
public record LedgerSnapshot(List<AccountBalance> balances, List<LedgerEntry> entries) {

    public LedgerSnapshot {
        balances = List.copyOf(balances);
        entries = List.copyOf(entries);
    }

    /** Writes the accounts table (see {@link LedgerExport}); the caller closes {@code out}. */
    public void writeAccounts(Writer out) {
        LedgerExport.writeAccounts(balances, out);
    }

    /** Writes the entries table (see {@link LedgerExport}); the caller closes {@code out}. */
    public void writeEntries(Writer out) {
        LedgerExport.writeEntries(entries, out);
    }
}
