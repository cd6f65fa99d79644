package io.isoswitch.sim.issuer.host;

import static io.isoswitch.sim.issuer.host.LinkClient.TRANSMISSION;
import static io.isoswitch.sim.issuer.host.LinkClient.ACQUIRER;
import static io.isoswitch.sim.issuer.host.LinkClient.network;
import static io.isoswitch.sim.issuer.host.LinkClient.request;
import static io.isoswitch.sim.issuer.host.LinkClient.stan;
import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.sim.fault.ByteDamage;
import io.isoswitch.sim.wire.OriginalDataElements;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The issuer simulator's read path fuzzed: every kind of request a switch sends it, MACed, then
 * damaged ({@link ByteDamage}) inside an intact frame. Whatever arrives, the host answers it once
 * or drops it, keeps the connection, books nothing (a damaged request no longer carries a MAC that
 * verifies), and goes on answering the switch's genuine requests.
 */
class IssuerHostReadProperties {
    private static final int DAMAGED_REQUESTS = 1_500;

    @Test
    void damagedRequestsAreAnsweredOnceOrDroppedAndBookNothing() {
        try (IssuerFixture issuer = new IssuerFixture(); LinkClient link = issuer.connect()) {
            link.signOn(1);
            String pan = issuer.card(0).account().pan();
            String pin = issuer.card(0).pin();
            assertThat(link.exchange(purchaseSigned(link, pan, pin, 2))).extracting(m -> m.getString(39)).isEqualTo("00");
            int entries = issuer.bank.snapshot().entries().size();
            List<byte[]> genuine = genuineRequests(link, pan, pin);
            SplittableRandom random = new SplittableRandom(8_583);
            int echoStan = 100_000;
            List<String> tooManyAnswers = new ArrayList<>();

            for (int i = 0; i < DAMAGED_REQUESTS; i++) {
                byte[] damaged = ByteDamage.damage(genuine.get(random.nextInt(genuine.size())), random);
                link.socket.send(damaged);
                // the host answers in order on one connection: whatever comes before the echo's answer is the damaged frame's
                link.send(network("301", ++echoStan));
                int answers = 0;
                while (true) {
                    IsoMessage answer = link.receive().orElseThrow(() -> new AssertionError("the echo was not answered"));
                    if (answer.mti().equals("0810") && answer.getString(11).equals(stan(echoStan))) {
                        break;
                    }
                    answers++;
                }
                if (answers > 1) {
                    tooManyAnswers.add(java.util.HexFormat.of().formatHex(damaged));
                }
            }

            assertThat(tooManyAnswers).isEmpty();
            assertThat(issuer.bank.snapshot().entries()).hasSize(entries);
            assertThat(issuer.bank.conservationViolations()).isEmpty();
            assertThat(link.exchange(purchaseSigned(link, pan, pin, 3))).extracting(m -> m.getString(39)).isEqualTo("00");
        }
    }

    private static IsoMessage purchaseSigned(LinkClient link, String pan, String pin, int stan) {
        return IsoMessage.decode(LinkClient.SPEC, link.signed(link.withPin(request("0200", "000000", pan, 1_000, stan), pin)));
    }

    /** Purchase, balance inquiry, pre-authorization, refund, completion advice, reversal and its repeat: MACed. */
    private static List<byte[]> genuineRequests(LinkClient link, String pan, String pin) {
        String field90 = new OriginalDataElements(200, 2, TRANSMISSION, ACQUIRER, "0").format();
        List<IsoMessage> requests = List.of(
                link.withPin(request("0200", "000000", pan, 2_000, 10), pin),
                link.withPin(request("0200", "310000", pan, 0, 11), pin),
                link.withPin(request("0100", "000000", pan, 3_000, 12), pin),
                request("0200", "200000", pan, 500, 13),
                request("0220", "000000", pan, 3_000, 14),
                request("0400", "000000", pan, 1_000, 15).set(90, field90),
                request("0401", "000000", pan, 1_000, 15).set(90, field90));
        List<byte[]> bodies = new ArrayList<>();
        for (IsoMessage request : requests) {
            bodies.add(link.signed(request));
        }
        return bodies;
    }
}
