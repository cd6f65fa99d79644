package io.isoswitch.sim.issuer.host;

import static io.isoswitch.sim.issuer.host.LinkClient.ACQUIRER;
import static io.isoswitch.sim.issuer.host.LinkClient.TRANSMISSION;
import static io.isoswitch.sim.issuer.host.LinkClient.network;
import static io.isoswitch.sim.issuer.host.LinkClient.request;
import static io.isoswitch.sim.issuer.host.LinkClient.stan;
import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.security.MacAlgorithm;
import io.isoswitch.sim.card.CardAccount;
import io.isoswitch.sim.card.CardStatus;
import io.isoswitch.sim.card.IssuedCard;
import io.isoswitch.sim.wire.MessageMacs;
import io.isoswitch.sim.wire.OriginalDataElements;
import io.isoswitch.sim.wire.Track2;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IssuerHostTest {
    IssuerFixture issuer;
    LinkClient link;

    @BeforeEach
    void start() {
        issuer = new IssuerFixture();
        link = issuer.connect();
    }

    @AfterEach
    void stop() {
        link.close();
        issuer.close();
    }

    String pan(int card) {
        return issuer.card(card).account().pan();
    }

    IsoMessage purchase(int card, long amount, int stan) {
        return link.withPin(request("0200", "000000", pan(card), amount, stan), issuer.card(card).pin());
    }

    long balance(int card) {
        return issuer.bank.balance(issuer.card(card).account().accountId()).balanceMinor();
    }

    @Test
    void signOnDeliversAZpkAndZakUnderTheZmkWithMatchingCheckValues() {
        IsoMessage response = link.signOn(1);

        assertThat(response.mti()).isEqualTo("0810");
        assertThat(response.getString(39)).isEqualTo("00");
        assertThat(response.getString(48)).hasSize(80);
        assertThat(link.zpk).isNotNull(); // importKey checked both check values
        assertThat(link.zak).isNotNull();
    }

    @Test
    void refusesFinancialRequestsBeforeSignOnAndAfterSignOff() {
        assertThat(link.exchange(request("0200", "000000", pan(0), 100, 1)).getString(39)).isEqualTo("91");
        link.signOn(2);
        assertThat(link.exchange(network("301", 3)).getString(39)).isEqualTo("00");
        assertThat(link.exchange(network("002", 4)).getString(39)).isEqualTo("00");
        assertThat(link.exchange(request("0200", "000000", pan(0), 100, 5)).getString(39)).isEqualTo("91");
        assertThat(issuer.bank.snapshot().entries()).isEmpty();
    }

    @Test
    void approvesAPinPurchaseAndAnswersItsRepeatIdentically() {
        link.signOn(1);

        IsoMessage first = link.exchange(purchase(0, 2_500, 10));
        IsoMessage repeat = link.exchange(purchase(0, 2_500, 10).mti("0201"));

        assertThat(first.mti()).isEqualTo("0210");
        assertThat(first.getString(39)).isEqualTo("00");
        assertThat(first.getString(38)).hasSize(6);
        assertThat(first.getString(11)).isEqualTo(stan(10));
        assertThat(first.getString(54)).startsWith("0001978C000000097500");
        assertThat(first.has(52)).isFalse();
        assertThat(repeat.getString(38)).isEqualTo(first.getString(38));
        assertThat(balance(0)).isEqualTo(97_500);
        assertThat(issuer.bank.snapshot().entries()).hasSize(1);
    }

    @Test
    void verifiesAnIbm3624Offset() {
        link.signOn(1);
        assertThat(link.exchange(purchase(4, 100, 2)).getString(39)).isEqualTo("00");
        assertThat(link.exchange(link.withPin(request("0200", "000000", pan(4), 100, 3), wrongPin(4)))
                .getString(39)).isEqualTo("55");
    }

    String wrongPin(int card) {
        String pin = issuer.card(card).pin();
        return pin.equals("0000") ? "1111" : "0000";
    }

    @Test
    void answersEveryDeclineCodeOverTheWire() {
        link.signOn(1);
        String unknown = "476173000000000" + io.isoswitch.sim.card.Pans.luhnCheckDigit("476173000000000");
        IssuedCard c1 = issuer.card(1);
        CardAccount a1 = c1.account();
        String wrongCvvTrack = Track2.of(a1.pan(), a1.expiry(), a1.serviceCode(), a1.cvv().equals("000") ? "111" : "000")
                .format('D');

        assertThat(code(request("0200", "000000", pan(1), 100, 2).set(35, wrongCvvTrack))).isEqualTo("05");
        assertThat(code(request("0200", "000000", pan(1), 0, 3))).isEqualTo("13");
        assertThat(code(request("0200", "000000", unknown, 100, 4))).isEqualTo("14");
        assertThat(code(purchase(1, 100_001, 5))).isEqualTo("51");
        assertThat(code(request("0200", "000000", pan(1), 100, 6).set(14, "2001"))).isEqualTo("54");
        assertThat(code(request("0200", "000000", pan(1), 100, 7).set(49, "840"))).isEqualTo("57");
        assertThat(code(request("0200", "000000", pan(1), 100, 8).set(4, "000001000001"))).isEqualTo("61");
        assertThat(code(request("0200", "000000", pan(1), 100, 9).unset(32))).isEqualTo("30");
        assertThat(code(request("0200", "400000", pan(1), 100, 10))).isEqualTo("12");
        issuer.bank.setStatus(pan(2), CardStatus.LOST);
        assertThat(code(purchase(2, 100, 11))).isEqualTo("41");
        issuer.bank.setStatus(pan(2), CardStatus.STOLEN);
        assertThat(code(purchase(2, 100, 12))).isEqualTo("43");
        issuer.bank.setOnline(false);
        assertThat(code(purchase(3, 100, 13))).isEqualTo("91");
        issuer.bank.setOnline(true);
        assertThat(code(request("0200", "000000", pan(3), 100, 14).set(52, new byte[8]).set(64, new byte[8])))
                .isEqualTo("96");
        assertThat(issuer.bank.snapshot().entries()).isEmpty();
    }

    @Test
    void locksTheCardAfterThreeWrongPins() {
        link.signOn(1);
        String wrong = wrongPin(3);
        assertThat(code(link.withPin(request("0200", "000000", pan(3), 100, 2), wrong))).isEqualTo("55");
        assertThat(code(link.withPin(request("0200", "000000", pan(3), 100, 3), wrong))).isEqualTo("55");
        assertThat(code(link.withPin(request("0200", "000000", pan(3), 100, 4), wrong))).isEqualTo("75");
        assertThat(code(purchase(3, 100, 5))).isEqualTo("75");
    }

    @Test
    void holdsAPreAuthorizationCompletesItAndAnswersBalanceInquiriesAndRefunds() {
        link.signOn(1);

        assertThat(code(link.withPin(request("0100", "000000", pan(0), 5_000, 2), issuer.card(0).pin()))).isEqualTo("00");
        IsoMessage completion = request("0220", "000000", pan(0), 5_500, 3)
                .set(90, new OriginalDataElements(100, 2, TRANSMISSION, ACQUIRER, "0").format());
        assertThat(code(completion)).isEqualTo("00");
        assertThat(code(request("0200", "200000", pan(0), 700, 4))).isEqualTo("00");
        IsoMessage inquiry = link.exchange(link.withPin(request("0200", "310000", pan(0), 0, 5), issuer.card(0).pin()));

        assertThat(inquiry.getString(39)).isEqualTo("00");
        assertThat(inquiry.getString(54)).isEqualTo("0001978C000000095200" + "0002978C000000095200");
        assertThat(issuer.bank.conservationViolations()).isEmpty();
    }

    @Test
    void reversesAPurchaseOnceWhateverTheRepeatsAndAdvices() {
        link.signOn(1);
        link.exchange(purchase(0, 3_000, 20));
        String field90 = new OriginalDataElements(200, 20, TRANSMISSION, ACQUIRER, "0").format();

        IsoMessage reversal = link.exchange(request("0400", "000000", pan(0), 3_000, 21).set(90, field90));
        IsoMessage repeat = link.exchange(request("0401", "000000", pan(0), 3_000, 21).set(90, field90));
        IsoMessage advice = link.exchange(request("0420", "000000", pan(0), 3_000, 22).set(90, field90));

        assertThat(reversal.mti()).isEqualTo("0410");
        assertThat(reversal.getString(39)).isEqualTo("00");
        assertThat(reversal.getString(90)).isEqualTo(field90);
        assertThat(repeat.getString(39)).isEqualTo("00");
        assertThat(advice.mti()).isEqualTo("0430");
        assertThat(advice.getString(39)).isEqualTo("00");
        assertThat(balance(0)).isEqualTo(100_000);
        assertThat(issuer.bank.snapshot().entries()).hasSize(2);
    }

    @Test
    void signsItsAnswerWhenTheRequestIsSignedAndRefusesABadMac() {
        link.signOn(1);
        IsoMessage request = purchase(0, 100, 2);
        link.socket.send(link.signed(request));
        byte[] answer = link.socket.receive(LinkClient.WAIT).orElseThrow();
        byte[] block = MessageMacs.macBlock(answer, LinkClient.SPEC);

        assertThat(IsoMessage.decode(LinkClient.SPEC, answer).getString(39)).isEqualTo("00");
        assertThat(link.hsm.verifyMac(link.zak, MacAlgorithm.ANSI_X9_19, block, 0, block.length,
                MessageMacs.mac(answer, LinkClient.SPEC))).isTrue();
        // the MAC written in place over a once-encoded answer: the bytes of encoding it signed twice
        assertThat(MessageMacs.encodeSigned(IsoMessage.decode(LinkClient.SPEC, answer), LinkClient.SPEC,
                b -> link.hsm.generateMac(link.zak, MacAlgorithm.ANSI_X9_19, b, 0, b.length))).isEqualTo(answer);

        IsoMessage forged = purchase(0, 100, 3).set(64, new byte[8]);
        assertThat(code(forged)).isEqualTo("96");
    }

    @Test
    void servesSeveralConnectionsEachWithItsOwnKeys() {
        link.signOn(1);
        try (LinkClient second = issuer.connect()) {
            second.signOn(1);
            assertThat(second.exchange(second.withPin(request("0200", "000000", pan(1), 100, 2), issuer.card(1).pin()))
                    .getString(39)).isEqualTo("00");
        }
        assertThat(code(purchase(0, 100, 3))).isEqualTo("00");
        assertThat(issuer.host.connectionsAccepted()).isEqualTo(2);
    }

    @Test
    void runsSeveralBanksAtOnceEachWithItsOwnCardsAndLedger() {
        try (IssuerFixture other = new IssuerFixture(); LinkClient otherLink = other.connect()) {
            link.signOn(1);
            otherLink.signOn(1);
            String otherPan = other.card(0).account().pan();

            IsoMessage here = link.exchange(purchase(0, 100, 2));
            IsoMessage there = otherLink.exchange(otherLink.withPin(request("0200", "000000", otherPan, 300, 2),
                    other.card(0).pin()));

            assertThat(other.host.port()).isNotEqualTo(issuer.host.port());
            assertThat(here.getString(39)).isEqualTo("00");
            assertThat(there.getString(39)).isEqualTo("00");
            assertThat(issuer.bank.snapshot().entries()).singleElement().satisfies(e -> assertThat(e.amountMinor()).isEqualTo(100));
            assertThat(other.bank.snapshot().entries()).singleElement().satisfies(e -> assertThat(e.amountMinor()).isEqualTo(300));
        }
    }

    private String code(IsoMessage request) {
        return link.exchange(request).getString(39);
    }

    static String amount(long minor) {
        return String.format(Locale.ROOT, "%012d", minor);
    }
}
