package io.isoswitch.core.ops.dashboard;

import java.util.Map;

/**
 * What the dashboard keeps of one moment: cumulative counters (differences between samples give
 * rates) and the latency histograms.
 *
 * @param epochMs       when it was taken
 * @param transactions  messages answered since start, of every type
 * @param cardRequests  of those, cardholders' requests to approve ({@code TransactionType#asksForApproval}):
 *                      what the approval rate counts, not sign-ons, echoes or batch messages
 * @param approved      of the cardholders' requests, answered 00
 * @param responseCodes answers since start by response code
 * @param latency       the terminal-to-answer latency histogram
 * @param journalCommit the journal commit latency histogram
 */
record Sample(long epochMs, long transactions, long cardRequests, long approved, Map<String, Long> responseCodes,
              Histograms.Reading latency, Histograms.Reading journalCommit) {
    static Sample empty(long epochMs) {
        return new Sample(epochMs, 0, 0, 0, Map.of(), Histograms.Reading.EMPTY, Histograms.Reading.EMPTY);
    }
}
