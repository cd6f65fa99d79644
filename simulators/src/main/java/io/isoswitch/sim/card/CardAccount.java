package io.isoswitch.sim.card;

import java.time.YearMonth;
import java.util.Objects;

/**
 * One card and the account behind it, as the simulated issuer knows them before any transaction:
 * static card data and the opening balance. Balances that move live in the ledger, not here.
 *
 * @param accountId           the issuer's account number; the ledger is kept per account
 * @param pan                 primary account number, 12 to 19 digits, Luhn-valid
 * @param expiry              last month the card is valid (card files write it YYMM)
 * @param serviceCode         3-digit service code (ISO/IEC 7813); digit 3 restricts services and PIN
 * @param pinVerification     PVV or IBM 3624 offset to verify the cardholder's PIN
 * @param cvv                 3-digit card verification value as the simulator checks it
 * @param openingBalanceMinor balance in minor units of {@code currency} before the first entry
 * @param currency            ISO 4217 numeric currency code of the account
 * @param status              active, or why the card is refused
 */
public record CardAccount(
        String accountId,
        String pan,
        YearMonth expiry,
        String serviceCode,
        PinVerificationData pinVerification,
        String cvv,
        long openingBalanceMinor,
        int currency,
        CardStatus status) {

    public CardAccount {
        Objects.requireNonNull(accountId, "accountId");
        if (accountId.isBlank() || accountId.contains(",")) {
            throw new IllegalArgumentException("accountId: expected a non-blank id without commas");
        }
        if (!Pans.isValid(pan)) {
            throw new IllegalArgumentException("pan: expected 12..19 digits with a valid Luhn check digit, found "
                    + Pans.mask(pan));
        }
        Objects.requireNonNull(expiry, "expiry");
        if (serviceCode == null || serviceCode.length() != 3 || !Digits.isDigits(serviceCode)) {
            throw new IllegalArgumentException("serviceCode: expected 3 digits, found '" + serviceCode + "'");
        }
        Objects.requireNonNull(pinVerification, "pinVerification");
        if (cvv == null || cvv.length() != 3 || !Digits.isDigits(cvv)) {
            throw new IllegalArgumentException("cvv: expected 3 digits");
        }
        if (openingBalanceMinor < 0) {
            throw new IllegalArgumentException("openingBalanceMinor: expected >= 0, found " + openingBalanceMinor);
        }
        if (currency < 1 || currency > 999) {
            throw new IllegalArgumentException("currency: expected an ISO 4217 numeric code 1..999, found " + currency);
        }
        Objects.requireNonNull(status, "status");
    }

    /** This card with another status (tests and demos mark cards lost, stolen, ...). */
    public CardAccount withStatus(CardStatus newStatus) {
        return new CardAccount(accountId, pan, expiry, serviceCode, pinVerification, cvv, openingBalanceMinor,
                currency, newStatus);
    }

    /** This card with another expiry month. */
    public CardAccount withExpiry(YearMonth newExpiry) {
        return new CardAccount(accountId, pan, newExpiry, serviceCode, pinVerification, cvv, openingBalanceMinor,
                currency, status);
    }

    /** This card with another service code. */
    public CardAccount withServiceCode(String newServiceCode) {
        return new CardAccount(accountId, pan, expiry, newServiceCode, pinVerification, cvv, openingBalanceMinor,
                currency, status);
    }

    /** The PAN masked as first 6 and last 4 digits. */
    public String maskedPan() {
        return Pans.mask(pan);
    }

    @Override
    public String toString() {
        return "CardAccount[accountId=" + accountId + ", pan=" + maskedPan() + ", expiry=" + expiry
                + ", serviceCode=" + serviceCode + ", pinVerification=" + pinVerification + ", cvv=***"
                + ", openingBalanceMinor=" + openingBalanceMinor + ", currency=" + currency + ", status=" + status
                + "]";
    }
}
