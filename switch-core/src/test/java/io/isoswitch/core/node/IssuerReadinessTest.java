package io.isoswitch.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.isoswitch.core.testing.FreshSwitchPerTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@code /ready}'s issuer check takes a node out of the pool only while another live node reaches
 * an issuer. Regression: a node with every issuer link down answered 503 even when no node had one
 * up, so during an issuer outage every node left the load balancer's pool and terminals got refused
 * connections instead of stand-in approvals or 91.
 */
class IssuerReadinessTest extends FreshSwitchPerTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aNodeAloneStaysInThePoolWhileItsIssuerIsDown() throws Exception {
        await().atMost(WAIT).until(() -> ready().statusCode() == 200);
        fixture.issuer().stop();
        fixture.awaitIssuerLink(false);
        // a lease renewal since the link went down has recorded it and read the other nodes (none)
        await().atMost(WAIT).until(() -> !issuersReachable("node-1"));

        HttpResponse<String> ready = ready();
        assertThat(ready.body()).contains("\"issuers\":true");
        assertThat(ready.statusCode()).isEqualTo(200);
    }

    @Test
    void aNodeWithoutItsIssuerLeavesThePoolWhileAnotherLiveNodeReachesOne() throws Exception {
        fixture.issuer().stop();
        fixture.awaitIssuerLink(false);
        // another node, alive (its lease runs for an hour) and with an issuer link up
        backend.execute("INSERT INTO switch_node (node_id, started_at, renewed_at, lease_until, issuers_reachable)"
                + " VALUES ('node-2', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, DATEADD('HOUR', 1, CURRENT_TIMESTAMP), TRUE)");
        await().atMost(WAIT).until(() -> ready().statusCode() == 503);
        assertThat(ready().body()).contains("\"issuers\":false").contains("\"database\":true");

        // that node loses its links too: no node does better, so this one comes back to the pool
        backend.execute("UPDATE switch_node SET issuers_reachable = FALSE WHERE node_id = 'node-2'");
        await().atMost(WAIT).until(() -> ready().statusCode() == 200);

        // and this node's own link coming back is enough on its own
        backend.execute("UPDATE switch_node SET issuers_reachable = TRUE WHERE node_id = 'node-2'");
        await().atMost(WAIT).until(() -> ready().statusCode() == 503);
        fixture.issuer().start();
        fixture.awaitIssuerLink(true);
        await().atMost(WAIT).until(() -> ready().statusCode() == 200);
    }

    private boolean issuersReachable(String nodeId) throws Exception {
        try (Connection c = backend.connect();
             PreparedStatement s = c.prepareStatement("SELECT issuers_reachable FROM switch_node WHERE node_id = ?")) {
            s.setString(1, nodeId);
            try (ResultSet r = s.executeQuery()) {
                return !r.next() || r.getBoolean(1);
            }
        }
    }

    private HttpResponse<String> ready() throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + fixture.node().opsPort() + "/ready")).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
