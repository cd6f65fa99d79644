package io.isoswitch.core.saf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.isoswitch.core.testing.FreshSwitchPerTest;
import io.isoswitch.core.testing.SwitchFixture;
import io.isoswitch.core.testing.TerminalDialect;
import io.isoswitch.core.testing.TerminalSide;
import io.isoswitch.sim.card.IssuedCard;
import io.isoswitch.sim.fault.FaultPlan;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /ops/saf} shows ops the reversal a silent issuer holds up (count, age, head, its
 * attempts and last error) behind the ops token, no card data in it, and an empty queue once the
 * issuer answers again; {@code switch.saf.oldest.age} says how long the head has waited.
 */
class SafEndpointTest extends FreshSwitchPerTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newHttpClient();

    @Override
    protected SwitchFixture.Options options(SwitchFixture.Options defaults) {
        return defaults.withIssuerTimeoutMs(300);
    }

    @Test
    void showsTheReversalASilentIssuerHoldsUpAndNothingOnceItAnswers() throws Exception {
        TerminalSide terminal = fixture.signedOn(TerminalDialect.ISO87_BINARY, 1);
        IssuedCard card = fixture.issuer().card(0);
        fixture.issuer().faults(FaultPlan.none().withNoAnswerShare(1.0));
        assertThat(terminal.send(terminal.pinPurchase(card, "000101", 1_234)).getString(39)).isEqualTo("91");

        // the reversal is tried, unanswered too, and waits at the head with its error
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> head(get("Bearer " + SwitchFixture.OPS_TOKEN)).path("attempts").asInt() >= 1);
        HttpResponse<String> answer = get("Bearer " + SwitchFixture.OPS_TOKEN);
        JsonNode issuer = JSON.readTree(answer.body()).path("issuers").get(0);
        assertThat(issuer.path("issuer").asString()).isEqualTo(SwitchFixture.ISSUER);
        assertThat(issuer.path("pending").asInt()).isEqualTo(1);
        assertThat(issuer.path("oldestQueuedAt").asString()).isNotEmpty();
        JsonNode head = issuer.path("head");
        assertThat(head.path("kind").asString()).isEqualTo("REVERSAL");
        assertThat(head.path("reasonCode").asString()).isEqualTo("68");
        assertThat(head.path("amountMinor").asLong()).isEqualTo(1_234);
        assertThat(head.path("lastError").asString()).isNotEmpty();
        assertThat(answer.body()).doesNotContain(card.account().pan());
        assertThat(fixture.node().registry().get(SafQueueGauge.OLDEST).tag("issuer", SwitchFixture.ISSUER).gauge().value())
                .as("seconds the head has waited").isGreaterThan(0);

        assertThat(get("Bearer wrong").statusCode()).isEqualTo(401);
        assertThat(get(null).statusCode()).isEqualTo(401);

        fixture.issuer().faults(FaultPlan.none());
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> JSON.readTree(get("Bearer " + SwitchFixture.OPS_TOKEN).body()).path("issuers").get(0).path("pending").asInt() == 0);
        assertThat(head(get("Bearer " + SwitchFixture.OPS_TOKEN)).isNull()).isTrue();
    }

    @Test
    void showsHowManyEntriesAreOutToTheIssuerBesideThoseWaiting() {
        java.util.Map<String, Object> body = SafEndpoint.body(java.util.List.of(
                new io.isoswitch.settlement.saf.SafSummary("bank-a", 40, 16, java.time.Instant.parse("2026-11-27T10:00:00Z"), null)),
                java.util.List.of());
        JsonNode issuer = JSON.valueToTree(body).path("issuers").get(0);
        assertThat(issuer.path("pending").asInt()).isEqualTo(40);
        assertThat(issuer.path("inFlight").asInt()).isEqualTo(16);
    }

    @Test
    void showsWhatWasAbandonedInTheQueueAndByThisNode() {
        java.util.UUID record = java.util.UUID.randomUUID();
        java.util.Map<String, Object> body = SafEndpoint.body(java.util.List.of(
                new io.isoswitch.settlement.saf.SafSummary("bank-a", 0, 0, null, null, 2)), java.util.List.of(
                new AbandonedEntries.Abandoned("bank-a", AbandonedEntries.NO_RECORD, null, record, "0400", 2_500, "156",
                        java.time.Instant.parse("2026-11-27T10:00:00Z"), java.time.Instant.parse("2026-11-27T10:30:00Z"),
                        "no such journal record")));
        JsonNode json = JSON.valueToTree(body);
        assertThat(json.path("issuers").get(0).path("abandoned").asInt()).as("abandoned in the shared queue").isEqualTo(2);
        JsonNode given = json.path("abandoned").get(0);
        assertThat(given.path("reason").asString()).isEqualTo("no_record");
        assertThat(given.path("journalRecord").asString()).isEqualTo(record.toString());
        assertThat(given.path("id").isNull()).as("never queued").isTrue();
        assertThat(given.path("amountMinor").asLong()).isEqualTo(2_500);
        assertThat(given.path("abandonedAt").asString()).isEqualTo("2026-11-27T10:30:00Z");
    }

    private static JsonNode head(HttpResponse<String> answer) {
        return JSON.readTree(answer.body()).path("issuers").get(0).path("head");
    }

    private HttpResponse<String> get(String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + fixture.node().opsPort() + SafEndpoint.PATH));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
