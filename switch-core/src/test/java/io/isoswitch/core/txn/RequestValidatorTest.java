package io.isoswitch.core.txn;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.YearMonth;
import java.util.Set;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;

class RequestValidatorTest {
    private static final YearMonth NOW = YearMonth.of(2026, 11);
    private static final Set<String> CNY = Set.of("156");
    private static final IntPredicate PURCHASE_FIELDS = Set.of(2, 3, 4, 11, 14, 22, 41, 42, 49, 52, 60, 64)::contains;
    private final RequestValidator validator = new RequestValidator(100_000_000);

    private static RequestFacts purchase(IntPredicate present, String pan, String expiry, long amount, String currency, boolean cup) {
        return new RequestFacts(TransactionType.PURCHASE, present, pan, expiry, amount, currency, cup);
    }

    @Test
    void aCompletePurchasePasses() {
        assertThat(validator.check(purchase(PURCHASE_FIELDS, "4111111111111111", "2812", 1_000, "156", true), CNY, NOW)).isEmpty();
    }

    @Test
    void aMissingMandatoryFieldIsAFormatError() {
        IntPredicate noStan = f -> f != 11 && PURCHASE_FIELDS.test(f);
        assertThat(validator.check(purchase(noStan, "4111111111111111", "2812", 1_000, "156", false), CNY, NOW)).contains("30");
    }

    @Test
    void aUnionPayRequestWithoutField60IsAFormatError() {
        IntPredicate no60 = f -> f != 60 && PURCHASE_FIELDS.test(f);
        assertThat(validator.check(purchase(no60, "4111111111111111", "2812", 1_000, "156", true), CNY, NOW)).contains("30");
        assertThat(validator.check(purchase(no60, "4111111111111111", "2812", 1_000, "156", false), CNY, NOW)).isEmpty();
    }

    @Test
    void aUnionPayVoidMayNameItsOriginalByField61InsteadOf37() {
        Set<Integer> voidFields = Set.of(2, 3, 4, 11, 14, 41, 42, 49, 60, 64);
        IntPredicate with61 = f -> f == 61 || voidFields.contains(f);
        RequestFacts cupVoid = new RequestFacts(TransactionType.PURCHASE_VOID, with61, "4111111111111111", "2812", 1_000, "156", true);
        RequestFacts isoVoid = new RequestFacts(TransactionType.PURCHASE_VOID, with61, "4111111111111111", "2812", 1_000, "156", false);
        RequestFacts neither = new RequestFacts(TransactionType.PURCHASE_VOID, voidFields::contains, "4111111111111111", "2812",
                1_000, "156", true);
        assertThat(validator.check(cupVoid, CNY, NOW)).isEmpty();
        assertThat(validator.check(isoVoid, CNY, NOW)).as("ISO terminals have no field 61").contains("30");
        assertThat(validator.check(neither, CNY, NOW)).contains("30");
    }

    @Test
    void aBadOrMissingCardIsInvalidCardNumber() {
        assertThat(validator.check(purchase(PURCHASE_FIELDS, "4111111111111112", "2812", 1_000, "156", false), CNY, NOW)).contains("14");
        assertThat(validator.check(purchase(PURCHASE_FIELDS, null, null, 1_000, "156", false), CNY, NOW)).contains("14");
    }

    @Test
    void anExpiredCardIsDeclined54AndAnExpiryThatIsNoDateIsAFormatError() {
        assertThat(validator.check(purchase(PURCHASE_FIELDS, "4111111111111111", "2610", 1_000, "156", false), CNY, NOW)).contains("54");
        assertThat(validator.check(purchase(PURCHASE_FIELDS, "4111111111111111", "2913", 1_000, "156", false), CNY, NOW)).contains("30");
        assertThat(validator.check(purchase(PURCHASE_FIELDS, "4111111111111111", "2900", 1_000, "156", false), CNY, NOW)).contains("30");
    }

    @Test
    void aZeroOrHugeAmountOrAForeignCurrencyIsInvalidAmount() {
        assertThat(validator.check(purchase(PURCHASE_FIELDS, "4111111111111111", "2812", 0, "156", false), CNY, NOW)).contains("13");
        assertThat(validator.check(purchase(PURCHASE_FIELDS, "4111111111111111", "2812", 100_000_001, "156", false), CNY, NOW)).contains("13");
        assertThat(validator.check(purchase(PURCHASE_FIELDS, "4111111111111111", "2812", 1_000, "840", false), CNY, NOW)).contains("13");
    }

    @Test
    void aBalanceInquiryNeedsACardButNoAmount() {
        RequestFacts balance = new RequestFacts(TransactionType.BALANCE_INQUIRY, Set.of(2, 3, 11, 22, 41, 42)::contains,
                "4111111111111111", null, -1, null, false);
        assertThat(validator.check(balance, CNY, NOW)).isEmpty();
    }

    @Test
    void aReversalOfABalanceInquiryNeedsNoAmountWhileAReversalOfAPurchaseStillDoes() {
        IntPredicate reversalFields = Set.of(2, 3, 11, 39, 41, 42, 60, 90)::contains;
        RequestFacts ofInquiry = new RequestFacts(TransactionType.REVERSAL, reversalFields, "4111111111111111", null, -1, null, false,
                "310000");
        RequestFacts ofPurchase = new RequestFacts(TransactionType.REVERSAL, reversalFields, "4111111111111111", null, -1, null, false,
                "000000");
        assertThat(validator.check(ofInquiry, CNY, NOW)).isEmpty();
        assertThat(validator.check(ofPurchase, CNY, NOW)).contains("30");
        IntPredicate noStan = f -> f != 11 && reversalFields.test(f);
        assertThat(validator.check(new RequestFacts(TransactionType.REVERSAL, noStan, null, null, -1, null, true, "310000"), CNY, NOW))
                .contains("30");
    }

    /**
     * A reversal need name no card, and one that names a card failing Luhn goes on (it reverses
     * nothing: its original would have been refused); but a card number that is not 12 to 19 digits
     * (an enciphered track read as clear) cannot be compared with the original's, and is 14.
     */
    @Test
    void aReversalWhoseCardNumberIsNoCardNumberIs14() {
        IntPredicate reversalFields = Set.of(3, 4, 11, 35, 39, 41, 42, 49, 60)::contains;
        for (String pan : new String[] {"4761733903821145ABC", "123456789012345678901", "47617339038"}) {
            assertThat(validator.check(new RequestFacts(TransactionType.REVERSAL, reversalFields, pan, null, 1_000, "156", true,
                    "000000"), CNY, NOW)).as(pan).contains("14");
        }
        assertThat(validator.check(new RequestFacts(TransactionType.REVERSAL, reversalFields, "4111111111111112", null, 1_000, "156",
                true, "000000"), CNY, NOW)).as("fails Luhn").isEmpty();
        assertThat(validator.check(new RequestFacts(TransactionType.REVERSAL, reversalFields, null, null, 1_000, "156", true,
                "000000"), CNY, NOW)).as("no card").isEmpty();
    }

    @Test
    void aCurrencyThatIsNoIsoNumericCodeIsAFormatErrorEvenWhereNoAmountMoves() {
        RequestFacts balance = new RequestFacts(TransactionType.BALANCE_INQUIRY, Set.of(2, 3, 11, 22, 41, 42, 49)::contains,
                "4111111111111111", null, -1, "X56", true);
        assertThat(validator.check(balance, CNY, NOW)).contains("30");
        assertThat(validator.check(purchase(PURCHASE_FIELDS, "4111111111111111", "2812", 1_000, "15", false), CNY, NOW)).contains("30");
        assertThat(validator.check(purchase(PURCHASE_FIELDS, "4111111111111111", "2812", 1_000, "15 ", true), CNY, NOW)).contains("30");
    }

    @Test
    void aCurrencyTheMerchantTakesIsNeverAFormatErrorEvenOneTheJdkDoesNotKnow() {
        // UYW, Uruguay's unidad previsional (ISO 4217 since 2018), is not in every JDK's currency data
        assertThat(validator.check(purchase(PURCHASE_FIELDS, "4111111111111111", "2812", 1_000, "927", false), Set.of("927"), NOW))
                .isEmpty();
    }

    @Test
    void threeDigitsThatNameNoCurrencyAreAFormatErrorAndACodeTheMerchantDoesNotTakeIsThirteen() {
        for (String noCurrency : new String[] {"000", "123", "001"}) {
            assertThat(validator.check(purchase(PURCHASE_FIELDS, "4111111111111111", "2812", 1_000, noCurrency, false), CNY, NOW))
                    .as(noCurrency).contains("30");
        }
        for (String notTaken : new String[] {"840", "978", "999"}) {
            assertThat(validator.check(purchase(PURCHASE_FIELDS, "4111111111111111", "2812", 1_000, notTaken, false), CNY, NOW))
                    .as(notTaken).contains("13");
        }
    }

    @Test
    void describingTheFactsMasksThePan() {
        assertThat(purchase(PURCHASE_FIELDS, "4111111111111111", "2812", 1, "156", false).toString())
                .contains("411111******1111").doesNotContain("4111111111111111");
    }
}
