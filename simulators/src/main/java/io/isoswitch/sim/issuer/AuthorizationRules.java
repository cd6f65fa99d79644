package io.isoswitch.sim.issuer;

import io.isoswitch.sim.card.CardAccount;
import io.isoswitch.sim.card.Pans;
import java.time.YearMonth;
import java.util.Optional;

/**
 * The card checks of an authorization as a pure function: the request, the card (or none), the
 * current month, the policy and the card's wrong PINs so far go in; a decline code (or none) and
 * the new count of wrong PINs come out. Funds and holds are the ledger's business
 * ({@link IssuerBank}); reversals are not screened (they are always acknowledged).
 *
 * <p>The order is the one issuers use, from the message to the card to the cardholder: transaction
 * type (12), amount (13), card number (14), card status (41, 43, 54, 05), expiry (54), currency
 * and service restrictions (57), CVV (05, 96), PIN (55, 75, 96), amount limit (61).
 */
public final class AuthorizationRules {
    /**
     * The outcome of screening.
     *
     * @param decline          the decline code, or empty when the card checks pass
     * @param pinFailuresAfter the card's count of wrong PINs after this request
     */
    public record Screening(Optional<ResponseCode> decline, int pinFailuresAfter) {
    }

    private AuthorizationRules() {
    }

    /** The transaction type of a request, if the issuer supports it in that message class. */
    public static Optional<TransactionType> supportedType(MessageClass messageClass, String processingCode) {
        return TransactionType.ofProcessingCode(processingCode).filter(type -> switch (messageClass) {
            case AUTHORIZATION -> type == TransactionType.PURCHASE || type == TransactionType.BALANCE_INQUIRY
                    || type == TransactionType.VOID;
            case FINANCIAL -> true;
            case AUTHORIZATION_ADVICE, FINANCIAL_ADVICE -> type == TransactionType.PURCHASE;
            case REVERSAL, REVERSAL_ADVICE -> false;
        });
    }

    /** Screens a non-reversal request against {@code card} ({@code null} when the PAN is unknown). */
    public static Screening screen(AuthorizationRequest request, CardAccount card, YearMonth currentMonth,
            IssuerPolicy policy, int pinFailures) {
        Optional<TransactionType> maybeType = supportedType(request.messageClass(), request.processingCode());
        if (maybeType.isEmpty()) {
            return decline(ResponseCode.INVALID_TRANSACTION, pinFailures);
        }
        TransactionType type = maybeType.get();
        if (type.movesMoney() && request.amountMinor() <= 0) {
            return decline(ResponseCode.INVALID_AMOUNT, pinFailures);
        }
        if (card == null || !Pans.isValid(request.pan())) {
            return decline(ResponseCode.INVALID_CARD_NUMBER, pinFailures);
        }
        if (request.currency() != card.currency()) {
            return decline(ResponseCode.NOT_PERMITTED_TO_CARDHOLDER, pinFailures);
        }
        if (request.messageClass().isAdvice()) {
            // A completion finishes what was authorized when the card was present, and a stand-in
            // advice reports what the acquirer already approved: the goods are gone, so only the
            // hold and the amount decide (in IssuerBank), not the card's state now.
            return pass(pinFailures);
        }
        Optional<ResponseCode> cardDecline = cardState(request, card, currentMonth, type);
        if (cardDecline.isPresent()) {
            return decline(cardDecline.get(), pinFailures);
        }
        switch (request.cvv()) {
            case ERROR -> {
                return decline(ResponseCode.SYSTEM_MALFUNCTION, pinFailures);
            }
            case MISMATCH -> {
                return decline(ResponseCode.DO_NOT_HONOUR, pinFailures);
            }
            case MATCH, NOT_PRESENT -> { }
        }
        Screening pin = pin(request, card, type, policy, pinFailures);
        if (pin.decline().isPresent()) {
            return pin;
        }
        if (type.movesMoney() && request.amountMinor() > policy.perTransactionLimitMinor()) {
            return decline(ResponseCode.EXCEEDS_AMOUNT_LIMIT, pin.pinFailuresAfter());
        }
        return pin;
    }

    private static Optional<ResponseCode> cardState(AuthorizationRequest request, CardAccount card,
            YearMonth currentMonth, TransactionType type) {
        ResponseCode status = switch (card.status()) {
            case ACTIVE -> null;
            case LOST -> ResponseCode.LOST_CARD;
            case STOLEN -> ResponseCode.STOLEN_CARD;
            case EXPIRED -> ResponseCode.EXPIRED_CARD;
            case BLOCKED -> ResponseCode.DO_NOT_HONOUR;
        };
        if (status != null) {
            return Optional.of(status);
        }
        // A card is valid to the end of its expiry month; a presented expiry that is not the one on
        // file is an old or forged plastic, and issuers answer it as expired.
        if (card.expiry().isBefore(currentMonth)
                || (request.expiry() != null && !request.expiry().equals(card.expiry()))) {
            return Optional.of(ResponseCode.EXPIRED_CARD);
        }
        if (!serviceAllowed(card.serviceCode().charAt(2), type)) {
            return Optional.of(ResponseCode.NOT_PERMITTED_TO_CARDHOLDER);
        }
        return Optional.empty();
    }

    /** Service code digit 3 (ISO/IEC 7813): which services the card allows. */
    private static boolean serviceAllowed(char services, TransactionType type) {
        return switch (services) {
            case '2', '5', '7' -> type != TransactionType.CASH; // goods and services only
            case '3' -> type == TransactionType.CASH || type == TransactionType.BALANCE_INQUIRY; // ATM only
            case '4' -> type == TransactionType.CASH || type == TransactionType.BALANCE_INQUIRY; // cash only
            default -> true;
        };
    }

    /** Service code digit 3 of 0, 3 or 5: a PIN is required. */
    private static boolean pinRequired(CardAccount card, TransactionType type) {
        char services = card.serviceCode().charAt(2);
        return (services == '0' || services == '3' || services == '5') && type != TransactionType.REFUND;
    }

    private static Screening pin(AuthorizationRequest request, CardAccount card, TransactionType type,
            IssuerPolicy policy, int pinFailures) {
        return switch (request.pin()) {
            case NOT_PRESENT -> pinRequired(card, type)
                    ? decline(ResponseCode.INCORRECT_PIN, pinFailures)
                    : pass(pinFailures);
            case ERROR -> decline(ResponseCode.SYSTEM_MALFUNCTION, pinFailures);
            case VERIFIED -> pinFailures >= policy.maxPinTries()
                    ? decline(ResponseCode.PIN_TRIES_EXCEEDED, pinFailures) // locked: even the right PIN
                    : pass(0);
            case WRONG -> {
                int failures = Math.min(pinFailures + 1, policy.maxPinTries());
                yield decline(failures >= policy.maxPinTries() ? ResponseCode.PIN_TRIES_EXCEEDED
                        : ResponseCode.INCORRECT_PIN, failures);
            }
        };
    }

    private static Screening decline(ResponseCode code, int pinFailures) {
        return new Screening(Optional.of(code), pinFailures);
    }

    private static Screening pass(int pinFailures) {
        return new Screening(Optional.empty(), pinFailures);
    }
}
