package io.isoswitch.core.pipeline;

import io.isoswitch.core.batch.BatchMetrics;
import io.isoswitch.core.txn.ResponseCodes;
import io.isoswitch.core.txn.TransactionType;
import io.isoswitch.settlement.batch.Batches;
import io.isoswitch.settlement.batch.OriginalStatus;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stands before the authorizer for voids of purchases and completions: a void names its original
 * by RRN (field 37); once the original's batch has closed it is settled and can only be refunded,
 * so the void is refused with 12 "invalid transaction" (UnionPay's 无效交易 too), before the
 * journal and the issuer. Any other void goes on to {@link TransactionVoids}, which finds and
 * checks its original again, voids it and links the void to it.
 */
public final class ClosedBatchVoidGuard implements Authorizer {
    private static final Logger LOG = LoggerFactory.getLogger(ClosedBatchVoidGuard.class);

    private final Batches batches;
    private final Authorizer next;
    private final BatchMetrics metrics;

    public ClosedBatchVoidGuard(Batches batches, Authorizer next, BatchMetrics metrics) {
        this.batches = batches;
        this.next = next;
        this.metrics = metrics;
    }

    @Override
    public CompletionStage<AuthorizationResult> authorize(Authorization a) {
        if (!isVoid(a.type()) || a.originalRrn() == null || a.originalRrn().isBlank()) {
            return next.authorize(a);
        }
        CompletableFuture<Optional<OriginalStatus>> lookup;
        try {
            lookup = batches.findOriginal(a.terminal().id(), a.originalRrn().trim());
        } catch (IllegalArgumentException unreadable) {
            // an RRN no record can have (unprintable bytes): nothing to find here
            return next.authorize(a);
        }
        return lookup
                .exceptionally(failure -> {
                    // the guard cannot look: the void goes on, to be checked against its original there
                    LOG.warn("the original of a void from terminal {} could not be looked up: {}", a.terminal().id(), failure.toString());
                    return Optional.empty();
                })
                .thenCompose(original -> decide(a, original));
    }

    private CompletionStage<AuthorizationResult> decide(Authorization a, Optional<OriginalStatus> original) {
        if (original.isPresent() && original.get().closed()) {
            metrics.refused(BatchMetrics.Refusal.VOID_AFTER_CLOSE);
            return CompletableFuture.completedFuture(
                    AuthorizationResult.declined(ResponseCodes.INVALID_TRANSACTION, "none"));
        }
        return next.authorize(a);
    }

    private static boolean isVoid(TransactionType type) {
        return type == TransactionType.PURCHASE_VOID || type == TransactionType.PREAUTH_COMPLETION_VOID;
    }
}
