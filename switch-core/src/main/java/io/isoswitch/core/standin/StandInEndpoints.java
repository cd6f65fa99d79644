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
 * cannot be trusted), or lifts it. Without {@code on} the endpoint reports the state and changes
 * nothing. The flag is this node's: every node must be told.
 */
public final class StandInEndpoints {
    private StandInEndpoints() {
    }

    /** One endpoint per configured issuer. */
    public static Map<String, OpsEndpoint> of(SwitchConfig config, StandIn standIn) {
        Map<String, OpsEndpoint> endpoints = new LinkedHashMap<>();
        for (IssuerConfig issuer : config.issuers()) {
            String id = issuer.issuerId();
            endpoints.put("/ops/issuers/" + id + "/stand-in", OpsCommands.protectedBy(config.ops().token(), request -> {
                String on = request.query().get("on");
                if (on != null && !on.equals("true") && !on.equals("false")) {
                    return OpsResponse.text(400, "on: expected true or false\n");
                }
                if (on != null) {
                    standIn.force(id, Boolean.parseBoolean(on));
                }
                return OpsResponse.json(200, "{\"issuer\":\"" + id + "\",\"forcedStandIn\":" + standIn.forced(id)
                        + ",\"mode\":\"" + standIn.rule(id).mode() + "\"}");
            }));
        }
        return endpoints;
    }
}
