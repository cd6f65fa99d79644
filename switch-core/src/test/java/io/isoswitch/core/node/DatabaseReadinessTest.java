package io.isoswitch.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.isoswitch.core.testing.FreshSwitchPerTest;
import io.isoswitch.core.testing.SwitchFixture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@code /ready} turns down while the node cannot write to its database even when no transaction
 * comes (the journal's own check moves only with journal writes, and sign-ons write none), and up
 * again when it can, and the commands that must write it are refused meanwhile. Regression: with the database unreachable the node stayed ready (200) while
 * every sign-on got 96 and its lease lapsed, so a load balancer kept sending it terminals.
 */
class DatabaseReadinessTest extends FreshSwitchPerTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> ready() throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + fixture.node().opsPort() + "/ready")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void readinessFollowsWhetherTheNodeCanRenewItsLeaseInTheDatabase() throws Exception {
        await().atMost(WAIT).until(() -> ready().statusCode() == 200);
        assertThat(ready().body()).contains("\"database\":true");

        // the database refuses the node's writes (as a lost network path or a revoked grant would)
        backend.execute("ALTER TABLE switch_node RENAME TO switch_node_away");
        await().atMost(WAIT).until(() -> ready().statusCode() == 503);
        assertThat(ready().body()).contains("\"database\":false").contains("\"journal\":true");

        backend.execute("ALTER TABLE switch_node_away RENAME TO switch_node");
        await().atMost(WAIT).until(() -> ready().statusCode() == 200);
        assertThat(ready().body()).contains("\"database\":true");
    }

    @Test
    void commandsThatMustWriteTheDatabaseAreRefused503WhileItCannotBeReached() throws Exception {
        backend.execute("ALTER TABLE switch_node RENAME TO switch_node_away");
        await().atMost(WAIT).until(() -> ready().statusCode() == 503);
        // regression: both answered 202 and the write then failed, said only in the log
        HttpResponse<String> standIn = post("/ops/issuers/" + SwitchFixture.ISSUER + "/stand-in?on=true");
        assertThat(standIn.statusCode()).isEqualTo(503);
        assertThat(standIn.body()).contains("nothing changed");
        assertThat(post("/ops/cutover").statusCode()).isEqualTo(503);
        // asking for the state in force changes nothing and is still answered
        assertThat(post("/ops/issuers/" + SwitchFixture.ISSUER + "/stand-in").body()).contains("\"forcedStandIn\":false");

        backend.execute("ALTER TABLE switch_node_away RENAME TO switch_node");
        await().atMost(WAIT).until(() -> ready().statusCode() == 200);
        assertThat(post("/ops/issuers/" + SwitchFixture.ISSUER + "/stand-in?on=true").statusCode()).isEqualTo(202);
        await().atMost(WAIT).until(() -> post("/ops/issuers/" + SwitchFixture.ISSUER + "/stand-in").body()
                .contains("\"forcedStandIn\":true"));
    }

    private HttpResponse<String> post(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + fixture.node().opsPort() + path))
                .header("Authorization", "Bearer " + SwitchFixture.OPS_TOKEN).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
