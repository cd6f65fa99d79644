package io.isoswitch.sim.issuer.host;

import static io.isoswitch.sim.issuer.host.LinkClient.network;
import static io.isoswitch.sim.issuer.host.LinkClient.request;
import static io.isoswitch.sim.issuer.host.LinkClient.stan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.isoswitch.codec.IsoCodecException;
import io.isoswitch.codec.IsoMessage;
import io.isoswitch.sim.fault.FaultInjector;
import io.isoswitch.sim.fault.FaultKind;
import io.isoswitch.sim.fault.FaultPlan;
import io.isoswitch.sim.fault.LatencyModel;
import io.isoswitch.sim.wire.FramedSocket;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each fault, configured while the host runs, happens on the wire and is counted. Where a fault
 * is about time, the proof is order, not a clock: answers on one connection leave in order, so an
 * echo (never faulted) answered before a purchase shows the purchase's answer was held back.
 */
class IssuerHostFaultTest {
    final FaultInjector faults = new FaultInjector(FaultPlan.none(), 42);
    IssuerFixture issuer;
    LinkClient link;

    @BeforeEach
    void start() {
        issuer = new IssuerFixture(faults);
        link = issuer.connect();
        link.signOn(1);
    }

    @AfterEach
    void stop() {
        link.close();
        issuer.close();
    }

    IsoMessage purchase(int stan) {
        return request("0200", "000000", issuer.card(0).account().pan(), 100, stan);
    }

    @Test
    void noAnswerLeavesTheRequestUnansweredButStillBooksIt() {
        faults.setPlan(FaultPlan.none().withNoAnswerShare(1.0));

        link.send(purchase(2));
        IsoMessage next = link.exchange(network("301", 3));

        assertThat(next.mti()).isEqualTo("0810");
        assertThat(next.getString(11)).isEqualTo(stan(3));
        assertThat(faults.counters().count(FaultKind.NO_ANSWER)).isEqualTo(1);
        assertThat(issuer.bank.snapshot().entries()).hasSize(1);
    }

    @Test
    void aLateAnswerArrivesAfterLaterTraffic() {
        faults.setPlan(FaultPlan.none().withLateAnswers(1.0, Duration.ofSeconds(2)));

        link.send(purchase(2));
        link.send(network("301", 3));

        assertThat(link.receive().orElseThrow().mti()).isEqualTo("0810");
        IsoMessage late = link.receive().orElseThrow();
        assertThat(late.mti()).isEqualTo("0210");
        assertThat(late.getString(39)).isEqualTo("00");
        assertThat(faults.counters().count(FaultKind.LATE_ANSWER)).isEqualTo(1);
    }

    @Test
    void latencyDelaysTheAnswerBehindUndelayedOnes() {
        faults.setPlan(FaultPlan.none().withLatency(new LatencyModel.Fixed(Duration.ofSeconds(1))));

        link.send(purchase(2));
        link.send(network("301", 3));

        assertThat(link.receive().orElseThrow().mti()).isEqualTo("0810");
        assertThat(link.receive().orElseThrow().mti()).isEqualTo("0210");
        assertThat(faults.counters().count(FaultKind.LATENCY)).isEqualTo(1);
    }

    @Test
    void aHeldAnswerLeavesOnlyWhenReleasedWhileNetworkManagementIsAnswered() {
        faults.hold();

        link.send(purchase(2));
        link.send(network("301", 3));

        // the echo is answered while the purchase is held: the purchase was read (and booked) first
        assertThat(link.receive().orElseThrow().mti()).isEqualTo("0810");
        assertThat(issuer.bank.snapshot().entries()).hasSize(1);
        faults.release();
        IsoMessage answer = link.receive().orElseThrow();
        assertThat(answer.mti()).isEqualTo("0210");
        assertThat(answer.getString(11)).isEqualTo(stan(2));
    }

    @Test
    void dropsTheConnectionInsteadOfAnswering() {
        faults.setPlan(FaultPlan.none().withDropConnectionShare(1.0));

        link.send(purchase(2));

        assertThatThrownBy(() -> link.socket.receive(LinkClient.WAIT)).isInstanceOf(FramedSocket.PeerClosedException.class);
        assertThat(faults.counters().count(FaultKind.DROPPED_CONNECTION)).isEqualTo(1);
    }

    @Test
    void sendsAWellFramedGarbageBodyInsteadOfTheAnswer() {
        faults.setPlan(FaultPlan.none().withGarbageShare(1.0));

        link.send(purchase(2));
        byte[] body = link.socket.receive(LinkClient.WAIT).orElseThrow();

        assertThat(body.length).isBetween(1, io.isoswitch.sim.fault.FaultInjector.MAX_GARBAGE_BYTES);
        assertThatThrownBy(() -> IsoMessage.decode(LinkClient.SPEC, body)).isInstanceOf(IsoCodecException.class);
        assertThat(faults.counters().count(FaultKind.GARBAGE)).isEqualTo(1);
    }

    @Test
    void duplicatesTheAnswer() {
        faults.setPlan(FaultPlan.none().withDuplicateAnswerShare(1.0));

        link.send(purchase(2));
        IsoMessage first = link.receive().orElseThrow();
        IsoMessage second = link.receive().orElseThrow();

        assertThat(second).isEqualTo(first);
        assertThat(faults.counters().count(FaultKind.DUPLICATE_ANSWER)).isEqualTo(1);
        assertThat(issuer.bank.snapshot().entries()).hasSize(1);
    }

    @Test
    void refusesSignOnWhileToldToAndAcceptsItAgainAfterwards() {
        faults.setPlan(FaultPlan.none().withRefuseSignOn(true));
        assertThat(link.exchange(network("001", 2)).getString(39)).isEqualTo("91");
        assertThat(faults.counters().count(FaultKind.REFUSED_SIGN_ON)).isEqualTo(1);

        faults.setPlan(FaultPlan.none());
        assertThat(link.signOn(3).getString(39)).isEqualTo("00");
    }

    @Test
    void aMixedPlanInjectsExactlyWhatItCounts() {
        faults.setPlan(FaultPlan.none().withNoAnswerShare(0.3).withDuplicateAnswerShare(0.3));
        int requests = 60;
        for (int i = 0; i < requests; i++) {
            link.send(purchase(100 + i));
        }
        link.send(network("301", 999)); // a marker: every answer before it has been sent
        int answers = 0;
        while (true) {
            IsoMessage m = link.receive().orElseThrow();
            if (m.mti().equals("0810")) {
                break;
            }
            answers++;
        }

        long silent = faults.counters().count(FaultKind.NO_ANSWER);
        long doubled = faults.counters().count(FaultKind.DUPLICATE_ANSWER);
        assertThat(silent).isPositive();
        assertThat(doubled).isPositive();
        assertThat(answers).isEqualTo(requests - silent + doubled);
        assertThat(faults.counters().decisions()).isEqualTo(requests);
    }
}
