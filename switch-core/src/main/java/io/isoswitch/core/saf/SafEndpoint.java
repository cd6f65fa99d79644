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
 * entry), with its attempts and last error. What an operator asks when {@code switch.saf.queue}
 * will not come down: which reversal is stuck, and why.
 */
public final class SafEndpoint {
    public static final String PATH = "/ops/saf";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private SafEndpoint() {
    }

    public static OpsEndpoint of(String token, SafQueueGauge queues) {
        return OpsCommands.readableWith(token, request -> OpsResponse.json(200, JSON.writeValueAsString(body(queues.summaries()))));
    }

    static Map<String, Object> body(List<SafSummary> summaries) {
        List<Map<String, Object>> issuers = new ArrayList<>();
        for (SafSummary summary : summaries) {
            Map<String, Object> issuer = new LinkedHashMap<>();
            issuer.put("issuer", summary.issuerId());
            issuer.put("pending", summary.pending());
            issuer.put("inFlight", summary.inFlight());
            issuer.put("oldestQueuedAt", summary.oldestCreatedAt() == null ? null : summary.oldestCreatedAt().toString());
            issuer.put("head", summary.head() == null ? null : head(summary.head()));
            issuers.add(issuer);
        }
        return Map.of("issuers", issuers);
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
