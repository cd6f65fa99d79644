package io.isoswitch.core.saf;

import io.isoswitch.core.ops.OpsCommands;
import io.isoswitch.core.ops.OpsEndpoint;
import io.isoswitch.core.ops.OpsResponse;
import io.isoswitch.settlement.saf.SafSummary;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /ops/saf} (with the ops token): each configured issuer's store-and-forward queue as
 * {@link SafQueueGauge} last read it (at most a few seconds old): how many entries wait, since
 * when, how many are out to the issuer now (every node's), and the head (the oldest undelivered
 * entry), with its attempts and last error, and how many of its entries were abandoned (never to
 * be sent: past their retry stop). What an operator asks when {@code switch.saf.queue} will not
 * come down: which reversal is stuck, and why. {@code abandoned} lists what this node gave up since
 * it started (the last {@value AbandonedEntries#KEPT}), owed reversals whose record never appeared
 * included: each is for operations to settle with the issuer.
 */
public final class SafEndpoint {
    public static final String PATH = "/ops/saf";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private SafEndpoint() {
    }

    public static OpsEndpoint of(String token, SafQueueGauge queues, AbandonedEntries abandoned) {
        return OpsCommands.readableWith(token, request -> OpsResponse.json(200,
                JSON.writeValueAsString(body(queues.summaries(), abandoned.last()))));
    }

    static Map<String, Object> body(List<SafSummary> summaries, List<AbandonedEntries.Abandoned> abandoned) {
        List<Map<String, Object>> issuers = new ArrayList<>();
        for (SafSummary summary : summaries) {
            Map<String, Object> issuer = new LinkedHashMap<>();
            issuer.put("issuer", summary.issuerId());
            issuer.put("pending", summary.pending());
            issuer.put("inFlight", summary.inFlight());
            issuer.put("oldestQueuedAt", summary.oldestCreatedAt() == null ? null : summary.oldestCreatedAt().toString());
            issuer.put("head", summary.head() == null ? null : head(summary.head()));
            issuer.put("abandoned", summary.abandoned());
            issuers.add(issuer);
        }
        List<Map<String, Object>> given = new ArrayList<>();
        for (AbandonedEntries.Abandoned a : abandoned) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("issuer", a.issuerId());
            entry.put("reason", a.reason());
            entry.put("id", a.entryId());
            entry.put("journalRecord", a.recordId().toString());
            entry.put("messageType", a.messageType());
            entry.put("amountMinor", a.amountMinor());
            entry.put("currency", a.currency());
            entry.put("queuedAt", a.since().toString());
            entry.put("abandonedAt", a.at().toString());
            entry.put("lastError", a.detail());
            given.add(entry);
        }
        return Map.of("issuers", issuers, "abandoned", given);
    }

    private static Map<String, Object> head(SafSummary.Head head) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("id", head.id());
        entry.put("kind", head.kind().name());
        entry.put("messageType", head.messageType());
        entry.put("reasonCode", head.reasonCode());
        entry.put("amountMinor", head.amountMinor());
        entry.put("currency", head.currency());
        entry.put("attempts", head.attempts());
        entry.put("nextAttemptAt", head.nextAttemptAt().toString());
        entry.put("lastError", head.lastError());
        entry.put("queuedAt", head.createdAt().toString());
        return entry;
    }
}
