package io.isoswitch.sim.issuer.host;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.sim.issuer.AuthorizationResult;
import io.isoswitch.sim.issuer.ResponseCode;
import io.isoswitch.sim.issuer.ZeroPadded;
import io.isoswitch.sim.ledger.AccountBalance;

/**
 * Builds the issuer's answers: the request's identifying fields echoed, field 39, field 38 when
 * approved, field 4 replaced by the approved amount in a partial approval (10), and field 54 with
 * the ledger and available balances when the account is known.
 * Card secrets (track 2, PIN block) are never echoed.
 */
final class IssuerResponses {
    /** Fields a response copies from its request, when present. */
    private static final int[] ECHOED = {2, 3, 4, 7, 11, 12, 13, 32, 33, 37, 41, 42, 49, 70, 90};

    private IssuerResponses() {
    }

    /** The response to {@code request} with only the echoed fields and {@code code}. */
    static IsoMessage answer(IsoMessage request, int responseMti, ResponseCode code) {
        IsoMessage response = new IsoMessage(ZeroPadded.digits(responseMti, 4));
        for (int field : ECHOED) {
            if (request.has(field)) {
                if (request.getBytes(field) != null) {
                    response.set(field, request.getBytes(field));
                } else {
                    response.set(field, request.getString(field));
                }
            }
        }
        response.set(39, code.code());
        return response;
    }

    /** The response carrying the bank's decision. */
    static IsoMessage answer(IsoMessage request, int responseMti, AuthorizationResult result) {
        IsoMessage response = answer(request, responseMti, result.responseCode());
        if (!result.approvalCode().isEmpty()) {
            response.set(38, result.approvalCode());
        }
        result.accountBalance().ifPresent(balance -> response.set(54, additionalAmounts(balance)));
        // a partial approval says how much it approved where the request said how much it asked
        result.partialAmountMinor().ifPresent(approved -> response.set(4, ZeroPadded.digits(approved, 12)));
        return response;
    }

    /**
     * Field 54: two 20-character amounts, ledger (type 01) then available (type 02): account type
     * {@code 00}, amount type, currency, {@code C} or {@code D}, 12 digits.
     */
    static String additionalAmounts(AccountBalance balance) {
        return amount("01", balance.currency(), balance.balanceMinor())
                + amount("02", balance.currency(), balance.availableMinor());
    }

    private static String amount(String type, int currency, long minor) {
        return "00" + type + ZeroPadded.digits(currency, 3) + (minor < 0 ? "D" : "C") + ZeroPadded.digits(Math.abs(minor), 12);
    }
}
