package io.isoswitch.core.listener;

import java.util.Map;
import java.util.TreeMap;

/**
 * What the pipeline decided about a request, as data: the response code and the fields the switch
 * adds to the answer. {@link ResponseComposer} turns it into bytes on the connection's event loop,
 * echoing the request's fields raw.
 *
 * @param responseCode field 39
 * @param added        fields the switch sets (number -> String or byte[]), e.g. 37, 38, 54, 62
 * @param mac          signs the answer (field 64), or null for an answer without MAC
 * @param typeTag      the transaction type for metrics ({@code purchase}, {@code echo}...)
 * @param issuer       the issuer that answered, or {@code none}, for metrics
 */
public record Decision(String responseCode, Map<Integer, Object> added, MacSigner mac, String typeTag, String issuer) {
    public Decision {
        // most decisions (echo, declines) add nothing: no empty TreeMap for them
        added = added.isEmpty() ? Map.of() : new TreeMap<>(added);
    }

    /** A decision with no added fields and no MAC (format errors, unknown terminals, echo). */
    public static Decision of(String responseCode, String typeTag) {
        return new Decision(responseCode, Map.of(), null, typeTag, "none");
    }
}
