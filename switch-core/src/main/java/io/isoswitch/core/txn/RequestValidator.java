package io.isoswitch.core.txn;

import java.time.YearMonth;
import java.util.Currency;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The first stage of the pipeline: checks what the switch can check alone, before keys, limits or
 * issuers are involved, and names the response code of the first problem found.
 *
 * <ul>
 *   <li>a mandatory field missing, or a currency (field 49) that is not an ISO 4217 numeric code: 30 (format error)</li>
 *   <li>no card, or a PAN that fails Luhn: 14 (invalid card number); where no card is needed (a
 *       reversal), a card number that is not 12 to 19 digits: 14 too</li>
 *   <li>an expiry that is no date (month 13, not digits): 30; an expired card: 54</li>
 *   <li>an amount that is zero where money must move, or above the switch's ceiling: 13</li>
 *   <li>a currency the merchant is not set up for: 13 (the amount cannot be taken in it)</li>
 * </ul>
 * A reversal of a balance inquiry (processing code 31) needs no amount or currency: the inquiry had
 * none, and it moves no money.
 */
public final class RequestValidator {
    /** ISO 4217 numeric codes as the JDK's currency data lists them. */
    private static final Set<String> ISO_4217_NUMERIC = Currency.getAvailableCurrencies().stream()
            .filter(c -> c.getNumericCode() > 0)
            .map(Currency::getNumericCodeAsString)
            .collect(Collectors.toUnmodifiableSet());

    private final long maxAmountMinor;

    /** @param maxAmountMinor the largest amount the switch accepts in any transaction, in minor units */
    public RequestValidator(long maxAmountMinor) {
        if (maxAmountMinor <= 0) {
            throw new IllegalArgumentException("maxAmountMinor must be positive, was " + maxAmountMinor);
        }
        this.maxAmountMinor = maxAmountMinor;
    }

    /**
     * @param facts               the request
     * @param acceptedCurrencies  ISO 4217 numeric codes the merchant may take
     * @param today               the current month, for expiry
     * @return the response code to decline with, or empty when the request may go on
     */
    public Optional<String> check(RequestFacts facts, Set<String> acceptedCurrencies, YearMonth today) {
        for (int field : MandatoryFields.of(facts)) {
            if (!facts.present().test(field) && !MandatoryFields.namedByOriginalData(field, facts.cupDialect(), facts.present())) {
                return Optional.of(ResponseCodes.FORMAT_ERROR);
            }
        }
        if (facts.cupDialect() && !facts.present().test(MandatoryFields.FIELD_60)) {
            return Optional.of(ResponseCodes.FORMAT_ERROR);
        }
        if (facts.currency() != null && !acceptedCurrencies.contains(facts.currency()) && !isoNumericCurrency(facts.currency())) {
            // cup-pos sends field 49 as text: a letter there is malformed, whatever the request
            return Optional.of(ResponseCodes.FORMAT_ERROR);
        }
        if (MandatoryFields.needsCard(facts.type())) {
            if (!CardChecks.validPan(facts.pan())) {
                return Optional.of(ResponseCodes.INVALID_CARD_NUMBER);
            }
            if (facts.expiry() != null && !CardChecks.readableExpiry(facts.expiry())) {
                return Optional.of(ResponseCodes.FORMAT_ERROR);
            }
            if (facts.expiry() != null && CardChecks.expired(facts.expiry(), today)) {
                return Optional.of(ResponseCodes.EXPIRED_CARD);
            }
        } else if (facts.pan() != null && !CardChecks.wellFormedPan(facts.pan())) {
            // a reversal need name no card, but one it names is compared with its original's: a card
            // number that is no card number (letters, too long: a track enciphered but not said so
            // in 53) cannot be, and was answered 96 on every resend
            return Optional.of(ResponseCodes.INVALID_CARD_NUMBER);
        }
        // a reversal of a balance inquiry moves no money: it need name no amount or currency
        if (facts.type().financial() && !facts.reversesBalanceInquiry()) {
            if (facts.amountMinor() <= 0 || facts.amountMinor() > maxAmountMinor) {
                return Optional.of(ResponseCodes.INVALID_AMOUNT);
            }
            if (facts.currency() == null || !acceptedCurrencies.contains(facts.currency())) {
                return Optional.of(ResponseCodes.INVALID_AMOUNT);
            }
        }
        return Optional.empty();
    }

    /**
     * Whether {@code currency} is an ISO 4217 numeric code, as the JDK's currency data lists them
     * (including the codes for no currency, test and metals: they are codes, which a merchant then
     * does or does not take). Three digits that name no currency (000, 123) are malformed. Asked
     * only of a currency the merchant does not take: one it takes is never a format error, so a
     * code newer than the JDK's data (927) still works where a merchant is set up for it.
     */
    private static boolean isoNumericCurrency(String currency) {
        return ISO_4217_NUMERIC.contains(currency);
    }
}
