package io.isoswitch.sim.issuer;

import io.isoswitch.sim.card.CardAccount;
import io.isoswitch.sim.card.CardStatus;
import io.isoswitch.sim.card.PinVerificationData;
import io.isoswitch.sim.ledger.RequestReference;
import java.time.Clock;
import java.time.Instant;
import java.time.MonthDay;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Locale;

/** Cards and requests for the issuer tests. */
final class Fixtures {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"), ZoneOffset.UTC);
    static final String ACQUIRER = "10000001";
    static final MonthDay TODAY = MonthDay.of(11, 26);
    static final int EUR = 978;

    private Fixtures() {
    }

    static CardAccount card(String accountId, String pan, long openingMinor) {
        return new CardAccount(accountId, pan, YearMonth.of(2028, 12), "201", PinVerificationData.pvv(1, "1234"),
                "123", openingMinor, EUR, CardStatus.ACTIVE);
    }

    static RequestReference ref(int stan) {
        return new RequestReference(ACQUIRER, stan, String.format(Locale.ROOT, "633010%06d", stan), TODAY);
    }

    static AuthorizationRequest purchase(int stan, String pan, long amount) {
        return AuthorizationRequest.of(MessageClass.FINANCIAL, "000000", amount, EUR, pan, ref(stan))
                .withPin(PinCheck.VERIFIED);
    }

    static AuthorizationRequest refund(int stan, String pan, long amount) {
        return AuthorizationRequest.of(MessageClass.FINANCIAL, "200000", amount, EUR, pan, ref(stan));
    }

    static AuthorizationRequest preAuth(int stan, String pan, long amount) {
        return AuthorizationRequest.of(MessageClass.AUTHORIZATION, "000000", amount, EUR, pan, ref(stan))
                .withPin(PinCheck.VERIFIED);
    }

    static AuthorizationRequest completion(int stan, String pan, long amount, int preAuthStan) {
        return AuthorizationRequest.of(MessageClass.FINANCIAL_ADVICE, "000000", amount, EUR, pan, ref(stan))
                .withOriginal(new OriginalData(MessageClass.AUTHORIZATION, ACQUIRER, preAuthStan, TODAY));
    }

    static AuthorizationRequest reversal(int stan, String pan, long amount, MessageClass originalClass,
            int originalStan) {
        return AuthorizationRequest.of(MessageClass.REVERSAL, "000000", amount, EUR, pan, ref(stan))
                .withOriginal(new OriginalData(originalClass, ACQUIRER, originalStan, TODAY));
    }
}
