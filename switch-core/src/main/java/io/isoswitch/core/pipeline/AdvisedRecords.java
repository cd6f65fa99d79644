package io.isoswitch.core.pipeline;

import io.isoswitch.core.issuer.IssuerLink;
import io.isoswitch.core.issuer.IssuerLinks;
import io.isoswitch.settlement.journal.IssuerLeg;
import io.isoswitch.settlement.journal.Journal;
import io.isoswitch.settlement.journal.JournalIds;
import io.isoswitch.settlement.journal.JournalRequest;
import io.isoswitch.settlement.journal.Outcome;
import io.isoswitch.settlement.journal.SentResult;
import io.isoswitch.settlement.saf.SafRequest;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;

/**
 * Journals a transaction the switch answered on the issuer's behalf (a completion advice, a
 * stand-in approval) together with the advice that tells the issuer, in one database transaction:
 * the advice cannot be lost once the terminal has its answer. The record gets an issuer leg of its
 * own (a STAN taken on the issuer's link, a new RRN, the time), which the advice carries in fields
 * 11, 37 and 7 on every attempt, so the issuer recognises its repeats and a later reversal can name
 * it in field 90.
 */
final class AdvisedRecords {
    private final Journal journal;
    private final IssuerLinks links;
    private final RrnGenerator rrns;
    private final Clock clock;

    AdvisedRecords(Journal journal, IssuerLinks links, RrnGenerator rrns, Clock clock) {
        this.journal = journal;
        this.links = links;
        this.rrns = rrns;
        this.clock = clock;
    }

    /** The record with its own leg at {@code issuerId}; throws IllegalArgumentException when no link is configured for it. */
    JournalRequest withLeg(JournalRequest record, String issuerId) {
        IssuerLink link = links.link(issuerId);
        int stan = link.reserve();
        // the STAN is only named, never waited on: the allocator hands it out again only after a full cycle
        link.release(stan);
        return record.withIssuer(new IssuerLeg(issuerId, Stans.sixDigits(stan), rrns.next(), clock.instant()));
    }

    CompletableFuture<SentResult> record(JournalRequest withLeg, Outcome outcome, String adviceMti) {
        return record(JournalIds.next(), withLeg, outcome, adviceMti);
    }

    /** As {@link #record(JournalRequest, Outcome, String)}, as record {@code id} (to undo it if the write is in doubt). */
    CompletableFuture<SentResult> record(java.util.UUID id, JournalRequest withLeg, Outcome outcome, String adviceMti) {
        SafRequest advice = SafRequest.advice(withLeg.issuer().issuerId(), adviceMti, withLeg.amountMinor(), withLeg.currency());
        return journal.recordResolved(id, withLeg, outcome, advice);
    }
}
