package io.isoswitch.core.listener;

import java.time.Instant;
import java.time.LocalDate;
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
 * @param hostTime     the instant whose local time and date a UnionPay answer carries (the
 *                     transaction's, so that a repeat answered from the journal says what the
 *                     first answer said), or null for the time the answer is written
 * @param settlementDate the business date the transaction was journaled on, which the answer
 *                       carries as field 15, or null for an answer that journaled nothing
 * @param delivered    run once the answer is written to the terminal's connection (a void's issuer
 *                     reversal, held until then, goes), or null
 */
public record Decision(String responseCode, Map<Integer, Object> added, MacSigner mac, String typeTag, String issuer,
                       Instant hostTime, LocalDate settlementDate, Runnable delivered) {
    public Decision {
        // most decisions (echo, declines) add nothing: no empty TreeMap for them
        added = added.isEmpty() ? Map.of() : new TreeMap<>(added);
    }

    public Decision(String responseCode, Map<Integer, Object> added, MacSigner mac, String typeTag, String issuer,
                    Instant hostTime, LocalDate settlementDate) {
        this(responseCode, added, mac, typeTag, issuer, hostTime, settlementDate, null);
    }

    public Decision(String responseCode, Map<Integer, Object> added, MacSigner mac, String typeTag, String issuer) {
        this(responseCode, added, mac, typeTag, issuer, null, null);
    }

    /** A decision with no added fields and no MAC (format errors, unknown terminals, echo). */
    public static Decision of(String responseCode, String typeTag) {
        return new Decision(responseCode, Map.of(), null, typeTag, "none");
    }
}
