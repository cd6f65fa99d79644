package io.isoswitch.sim.issuer;

import io.isoswitch.sim.ledger.AccountBalance;
import io.isoswitch.sim.ledger.LedgerEntry;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The issuer's answer and what it did to the ledger. A repeated request gets the very same result
 * object back, entries included, and books nothing new.
 *
 * @param responseCode field 39
 * @param approvalCode field 38, six digits, empty unless approved (reversals get none)
 * @param balance      the account's balances after the request (field 54), when the card is known
 * @param entries      the ledger entries this request booked (empty for declines and inquiries)
 */
public record AuthorizationResult(
        ResponseCode responseCode,
        String approvalCode,
        AccountBalance balance,
        List<LedgerEntry> entries) {

    public AuthorizationResult {
        Objects.requireNonNull(responseCode, "responseCode");
        Objects.requireNonNull(approvalCode, "approvalCode");
        entries = List.copyOf(entries);
    }

    /** A decline (or an answer that moves nothing) with the account's balances if known. */
    static AuthorizationResult of(ResponseCode code, AccountBalance balance) {
        return new AuthorizationResult(code, "", balance, List.of());
    }

    /** The account's balances, when the card was known. */
    public Optional<AccountBalance> accountBalance() {
        return Optional.ofNullable(balance);
    }

    /** True for 00, 10 and 11 (money was booked). */
    public boolean approved() {
        return responseCode.isApproved();
    }

    /** The amount a partial approval (10) booked, which its answer carries in field 4; empty for any other answer. */
    public java.util.OptionalLong partialAmountMinor() {
        return responseCode == ResponseCode.PARTIAL_APPROVAL && !entries.isEmpty()
                ? java.util.OptionalLong.of(entries.get(0).amountMinor()) : java.util.OptionalLong.empty();
    }
}
