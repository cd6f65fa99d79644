package io.isoswitch.core.listener;

import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.codec.net.Transport;
import io.isoswitch.codec.spec.Dialects;
import io.isoswitch.core.config.ListenerConfig;
import io.isoswitch.core.metrics.SwitchMetrics;
import io.isoswitch.core.net.EventLoops;
import io.isoswitch.core.testing.TestTerminalClient;
import io.isoswitch.core.txn.ResponseCodes;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The terminal listener answers on every transport that loads here, and on the fallback the choice lands on. */
class TerminalListenerTransportTest {
    private static final byte[] NO_PREFIX = {};
    private static final RequestProcessor ECHO = exchange -> CompletableFuture.completedFuture(
            Decision.of(ResponseCodes.APPROVED, "echo"));

    @ParameterizedTest
    @EnumSource(Transport.class)
    void anEchoIsAnsweredOnEachTransportThatLoads(Transport transport) throws Exception {
        Transport used = Transport.select(transport.label());
        // a transport that does not load here falls back, and the fallback answers
        assertThat(used.ordinal()).isGreaterThanOrEqualTo(transport.ordinal());
        assertThat(used == transport).isEqualTo(transport.isAvailable());
        assertEchoAnswered(used);
    }

    @Test
    void theAutomaticChoiceAnswersAnEcho() throws Exception {
        assertEchoAnswered(Transport.select(Transport.AUTO));
    }

    private static void assertEchoAnswered(Transport transport) throws Exception {
        SwitchMetrics metrics = new SwitchMetrics(new SimpleMeterRegistry());
        try (EventLoops loops = EventLoops.create(transport, 1)) {
            assertThat(loops.transport()).isEqualTo(transport);
            ListenerConfig config = new ListenerConfig("iso87binary", "127.0.0.1", 0, "iso87binary", null, 10, 60_000, 4, 0);
            TerminalListener listener = TerminalListener.start(config, loops, ECHO, metrics);
            try (TestTerminalClient client = new TestTerminalClient(listener.port(), Dialects.iso87binary(), NO_PREFIX)) {
                for (int i = 1; i <= 3; i++) {
                    String stan = String.format("%06d", i);
                    IsoMessage answer = client.exchange(new IsoMessage("0800").set(11, stan).set(41, "TERM0001").set(70, "301"));
                    assertThat(answer.mti()).isEqualTo("0810");
                    assertThat(answer.getString(11)).isEqualTo(stan);
                    assertThat(answer.getString(39)).isEqualTo("00");
                }
            } finally {
                listener.close();
            }
        }
    }
}
