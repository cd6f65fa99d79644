package io.isoswitch.core.saf;

import io.isoswitch.settlement.saf.SafEntry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reversals and advices this node gave up delivering, because they can never be delivered: counted
 * in {@value #METRIC} (tags {@code issuer}, {@code reason}), logged once each (journal record and
 * queue ids, amount; never card data), and the last {@value #KEPT} kept for {@code GET /ops/saf}.
 * Each is money an operator settles with the issuer by hand.
 *
 * <ul>
 *   <li>{@value #NO_RECORD}: a reversal owed for an approval answered 96 whose journal record never
 *       appeared (its write did not commit after all), {@code UnknownOutcomes.OWED_RECORD_GRACE}
 *       after it was owed: there is nothing to reverse;</li>
 *   <li>{@value #RETRY_STOP}: a queued entry that kept failing on its own (the switch cannot build
 *       it) past {@code StoreAndForwardQueue.FAILED_ALONE_STOP}: ABANDONED in the queue.</li>
 * </ul>
 */
public final class AbandonedEntries {
    public static final String METRIC = "switch.saf.abandoned";
    public static final String NO_RECORD = "no_record";
    public static final String RETRY_STOP = "retry_stop";
    static final int KEPT = 100;
    private static final Logger LOG = LoggerFactory.getLogger(AbandonedEntries.class);

    /**
     * One entry given up.
     *
     * @param entryId  its queue id, or null for an owed reversal that was never queued
     * @param recordId the journal record it concerns
     * @param since    when it was queued (or owed)
     * @param detail   the last failure, no card data
     */
    public record Abandoned(String issuerId, String reason, Long entryId, UUID recordId, String messageType, long amountMinor,
                            String currency, Instant since, Instant at, String detail) {}

    private final MeterRegistry registry;
    private final Clock clock;
    private final Deque<Abandoned> last = new ArrayDeque<>();

    /** @param registry where {@value #METRIC} is counted, at zero from the start for {@code issuers} (null: not counted) */
    public AbandonedEntries(MeterRegistry registry, Collection<String> issuers, Clock clock) {
        this.registry = registry;
        this.clock = clock;
        if (registry != null) {
            for (String issuer : issuers) {
                counter(issuer, NO_RECORD);
                counter(issuer, RETRY_STOP);
            }
        }
    }

    /** A queued entry the queue abandoned at a claim, past its retry stop. */
    void pastRetryStop(SafEntry entry) {
        LOG.error("store-and-forward: {} {} (queue entry {}, journal record {}) to issuer {}, {} {}, abandoned after {} attempt(s)"
                        + " failing on its own since before the retry stop: not sent again; settle it with the issuer ({})",
                entry.request().kind(), entry.request().messageType(), entry.id(), entry.original().id(), entry.request().issuerId(),
                entry.request().amountMinor(), entry.request().currency(), entry.attempts(), entry.lastError());
        add(new Abandoned(entry.request().issuerId(), RETRY_STOP, entry.id(), entry.original().id(), entry.request().messageType(),
                entry.request().amountMinor(), entry.request().currency(), entry.createdAt(), clock.instant(), entry.lastError()));
    }

    /** An owed reversal whose journal record never appeared within its grace. */
    public void owedRecordMissing(String issuerId, UUID recordId, String messageType, long amountMinor, String currency,
                                   Instant owedSince) {
        LOG.error("reversal owed for journal record {} (issuer {}, {} {}, owed since {}) abandoned: the record does not exist;"
                        + " its write never committed, so nothing was approved to reverse", recordId, issuerId, amountMinor, currency,
                owedSince);
        add(new Abandoned(issuerId, NO_RECORD, null, recordId, messageType, amountMinor, currency, owedSince, clock.instant(),
                "no such journal record"));
    }

    private void add(Abandoned abandoned) {
        synchronized (last) {
            if (last.size() == KEPT) {
                last.removeFirst();
            }
            last.addLast(abandoned);
        }
        if (registry != null) {
            counter(abandoned.issuerId(), abandoned.reason()).increment();
        }
    }

    /** The last {@value #KEPT} given up by this node since it started, oldest first. */
    public List<Abandoned> last() {
        synchronized (last) {
            return new ArrayList<>(last);
        }
    }

    private Counter counter(String issuerId, String reason) {
        return Counter.builder(METRIC).description("Store-and-forward entries and owed reversals given up: never to be delivered")
                .tag("issuer", issuerId).tag("reason", reason).register(registry);
    }
}
