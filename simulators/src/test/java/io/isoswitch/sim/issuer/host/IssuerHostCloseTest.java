package io.isoswitch.sim.issuer.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.Socket;
import org.junit.jupiter.api.Test;

/** Regression: a stopped issuer host left accepted connections open, so a switch learnt of the stop only by echo. */
class IssuerHostCloseTest {
    @Test
    void closingTheHostClosesEveryAcceptedConnection() throws Exception {
        IssuerFixture fixture = new IssuerFixture();
        try (Socket socket = new Socket("127.0.0.1", fixture.host.port())) {
            socket.setSoTimeout(10_000);
            InputStream in = socket.getInputStream();
            org.awaitility.Awaitility.await().until(() -> fixture.host.connectionsAccepted() == 1);
            fixture.close();
            // end of stream (the FIN), not a timeout
            assertThat(in.read()).isEqualTo(-1);
        }
    }
}
