package io.isoswitch.core.standin;

import io.isoswitch.core.config.SwitchConfig;
import io.isoswitch.core.issuer.IssuerConfig;
import io.isoswitch.core.ops.OpsCommands;
import io.isoswitch.core.ops.OpsEndpoint;
import io.isoswitch.core.ops.OpsResponse;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code POST /ops/issuers/{id}/stand-in?on=true|false} (bearer token, see {@link OpsCommands}):
 * forces stand-in for one issuer while it is up (maintenance announced by the bank, answers that
 * cannot be trusted), or lifts it, for every node: the flag is stored in the journal database
 * ({@link ForcedStandInFlags}) and each node follows it within its refresh period, also after a
 * restart. A change is answered 202 once asked for; without {@code on} the endpoint reports the
 * state in force on this node (200) and changes nothing.
 */
public final class StandInEndpoints {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(StandInEndpoints.class);
    private StandInEndpoints() {
    }

    /** One endpoint per configured issuer. */
    public static Map<String, OpsEndpoint> of(SwitchConfig config, StandIn standIn) {
        return of(config, standIn, () -> true);
    }

    /**
     * One endpoint per configured issuer; a change is refused 503 while {@code databaseReachable}
     * says this node cannot reach the database (the flag could not be stored, so it would not hold).
     */
    public static Map<String, OpsEndpoint> of(SwitchConfig config, StandIn standIn, java.util.function.BooleanSupplier databaseReachable) {
        Map<String, OpsEndpoint> endpoints = new LinkedHashMap<>();
        for (IssuerConfig issuer : config.issuers()) {
            String id = issuer.issuerId();
            endpoints.put("/ops/issuers/" + id + "/stand-in", OpsCommands.protectedBy(config.ops().token(), request -> {
                String on = request.query().get("on");
                if (on != null && !on.equals("true") && !on.equals("false")) {
                    return OpsResponse.text(400, "on: expected true or false\n");
                }
                if (on != null && !databaseReachable.getAsBoolean()) {
                    return OpsCommands.databaseUnreachable();
                }
                if (on != null) {
                    boolean requested = Boolean.parseBoolean(on);
                    // the write goes to the database off the event loop: the answer says what was
                    // asked, and a report (without on) says once it is in force here
                    standIn.force(id, requested).exceptionally(failure -> {
                        LOG.error("forced stand-in of {} could not be stored (still {}): {}", id, standIn.forced(id), failure.toString());
                        return null;
                    });
                    return OpsResponse.json(202, "{\"issuer\":\"" + id + "\",\"requestedForcedStandIn\":" + requested
                            + ",\"mode\":\"" + standIn.rule(id).mode() + "\"}");
                }
                return OpsResponse.json(200, "{\"issuer\":\"" + id + "\",\"forcedStandIn\":" + standIn.forced(id)
                        + ",\"mode\":\"" + standIn.rule(id).mode() + "\"}");
            }));
        }
        return endpoints;
    }
}
