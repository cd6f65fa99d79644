package io.isoswitch.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.core.testing.IssuerSimulator;
import io.isoswitch.core.testing.JournalBackend;
import io.isoswitch.core.testing.SwitchFixture;
import io.isoswitch.core.testing.TerminalDialect;
import io.isoswitch.core.testing.TerminalSide;
import io.isoswitch.sim.card.IssuedCard;
import java.io.IOException;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Throwaway proofs of review15k's findings on the terminal-facing side (read-only review: these
 * tests FAIL on the current code; each names the finding it proves).
 */
class Review15kTerminalSideTest extends EndToEndScenarios {
    private static final long OPENING = IssuerSimulator.OPENING_BALANCE_MINOR;
    private static final DateTimeFormatter YYMM = DateTimeFormatter.ofPattern("uuMM", Locale.ROOT);

    @Override
    JournalBackend backend() {
        return JournalBackend.h2();
    }

    @Override
    SwitchFixture.Options options(SwitchFixture.Options defaults) {
        return defaults.withCards(20).withTerminalsPerDialect(4);
    }

    /**
     * Finding 1: the switch never forwards track 2 (field 35) to the issuer (IssuerRequests.prepare
     * writes 2 and 14 only), so the issuer cannot check the magstripe CVV or anything else on the
     * track. A swiped (22 = 021) purchase whose track 2 carries a wrong CVV (a counterfeit or altered
     * track) is approved and debits the card; the issuer simulator declines it 05 when it sees the track.
     */
    @ParameterizedTest
    @EnumSource(TerminalDialect.class)
    void aSwipedPurchaseWhoseTrackCarriesAWrongCvvIsNotApproved(TerminalDialect dialect) throws IOException {
        IssuedCard card = card();
        TerminalSide terminal = fixture.signedOn(dialect, 1);
        String wrongCvv = card.account().cvv().equals("999") ? "998" : "999";
        String track = card.account().pan() + "=" + card.account().expiry().format(YYMM) + card.account().serviceCode() + wrongCvv + "00000";
        IsoMessage purchase = terminal.pinPurchase(card, stan(), 1_000).set(35, track);
        IsoMessage answer = terminal.send(purchase);
        assertThat(answer.getString(39)).as("a counterfeit track's CVV must reach the issuer and be declined").isNotEqualTo("00");
        assertThat(fixture.issuer().available(card)).isEqualTo(OPENING);
    }

    /**
     * Finding 2: a UnionPay SM4 sign-on (60.3 = 006, cup-pos.md 7.1/7.2: 60 bytes of SM4 keys) is
     * classified as a sign-on and answered 00 with 40 bytes of double-length TDES keys and 60.3 = 006
     * echoed: the terminal takes the 40 bytes for SM4 keys (or fails to parse them) and every MAC after fails.
     */
    @Test
    void anSm4SignOnIsNotAnsweredWithTdesKeysAsIfItHadBeenServed() throws IOException {
        TerminalSide terminal = fixture.connect(TerminalDialect.CUP_POS, 2);
        IsoMessage request = new IsoMessage("0800").set(11, stan()).set(41, terminal.terminalId())
                .set(42, SwitchFixture.MERCHANT).set(60, "00000001006");
        IsoMessage answer = terminal.client().exchange(request);
        boolean servedAsSm4 = "00".equals(answer.getString(39)) && answer.getBytes(62).length == 60;
        boolean refused = !"00".equals(answer.getString(39));
        assertThat(servedAsSm4 || refused)
                .as("answered %s with %s key bytes, 60 = %s", answer.getString(39),
                        answer.has(62) ? answer.getBytes(62).length : 0, answer.has(60) ? answer.getString(60) : null)
                .isTrue();
    }
}
