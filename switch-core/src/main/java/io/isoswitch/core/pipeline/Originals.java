package io.isoswitch.core.pipeline;

import io.isoswitch.core.txn.ResponseCodes;
import io.isoswitch.core.txn.TransactionType;
import io.isoswitch.settlement.journal.JournalEntry;
import io.isoswitch.settlement.journal.JournalReader;
import io.isoswitch.settlement.journal.JournalRequest;
import io.isoswitch.settlement.journal.TransactionState;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Finds the original a void, refund or completion names and checks that it may be acted on.
 * Terminals name it by the RRN the switch returned in its answer (field 37; UnionPay terminals
 * send it beside field 61). A UnionPay terminal that sends no field 37 is matched by field 61
 * instead ({@link OriginalInfo}: its original trace and date at this terminal). The original must be this terminal's, of the expected type, for the
 * same card, and still stand (approved, not reversed or voided).
 *
 * <p>Refusals, with the codes both dialects give them (cup-pos.md section 10):
 * <ul>
 *   <li>30 "format error": a field 37 that is no RRN (more than 12 characters, or not printable);</li>
 *   <li>25 "unable to locate original": no field 37, no such RRN at this terminal, another card's
 *       transaction, one that was declined or never answered, or (a pre-authorization's void or
 *       completion) a field 38 that is not the pre-authorization's approval code;</li>
 *   <li>12 "invalid transaction": the original is of a type this request cannot act on (a purchase
 *       void naming a pre-authorization), or it was reversed;</li>
 *   <li>94 "duplicate": the original was already voided.</li>
 * </ul>
 */
final class Originals {
    /** The requests that name a pre-authorization by its approval code (field 38) as well as by RRN or trace. */
    private static final Set<TransactionType> NAMED_BY_APPROVAL_CODE = EnumSet.of(TransactionType.PREAUTH_VOID,
            TransactionType.PREAUTH_COMPLETION, TransactionType.PREAUTH_COMPLETION_ADVICE);

    private final JournalReader reader;

    Originals(JournalReader reader) {
        this.reader = reader;
    }

    /** The outcome of a look-up. */
    sealed interface Found {
    }

    /**
     * The original and every record already linked to it (its voids, refunds, completions).
     */
    record Original(JournalEntry entry, List<JournalEntry> linked) implements Found {
        /** Whether an approved record of one of {@code types} refers to the original. */
        boolean hasApproved(Set<TransactionType> types) {
            return linked.stream().anyMatch(e -> standsOrMay(e, types));
        }

        /** The records of {@code types} that {@link #hasApproved} counts: approved, or still at their issuer. */
        List<JournalEntry> approvedOrSent(Set<TransactionType> types) {
            return linked.stream().filter(e -> standsOrMay(e, types)).toList();
        }

        /** The records of {@code types} that the journal shows undone: declined, timed out, reversed or being reversed. */
        List<JournalEntry> undone(Set<TransactionType> types) {
            return linked.stream().filter(e -> types.contains(TransactionType.valueOf(e.request().transactionType()))
                    && UNDONE.contains(e.state())).toList();
        }

        private static final Set<TransactionState> UNDONE = java.util.EnumSet.of(TransactionState.DECLINED,
                TransactionState.TIMED_OUT, TransactionState.REVERSAL_PENDING, TransactionState.REVERSED);

        private static boolean standsOrMay(JournalEntry e, Set<TransactionType> types) {
            return types.contains(TransactionType.valueOf(e.request().transactionType()))
                    && (e.state() == TransactionState.APPROVED || e.state() == TransactionState.STAND_IN_APPROVED
                            || e.state() == TransactionState.SENT);
        }
    }

    /** Why the request cannot act on its original: the response code to answer. */
    record Refused(String code) implements Found {
    }

    CompletionStage<Found> find(Authorization a, JournalRequest record, Set<TransactionType> originalTypes) {
        String rrn = a.originalRrn() == null ? "" : a.originalRrn().strip();
        CompletionStage<Optional<JournalEntry>> lookup;
        if (!rrn.isEmpty() && !couldBeRrn(rrn)) {
            return CompletableFuture.completedFuture(new Refused(ResponseCodes.FORMAT_ERROR));
        }
        if (!rrn.isEmpty()) {
            lookup = reader.findByRrn(a.terminal().id(), rrn);
        } else {
            OriginalInfo info = OriginalInfo.parse(a.originalInfo(), record.transactionDate());
            if (info == null) {
                return CompletableFuture.completedFuture(new Refused(ResponseCodes.UNABLE_TO_LOCATE_ORIGINAL));
            }
            lookup = reader.findByTerminalStan(a.terminal().id(), info.stan(), info.date())
                    .thenApply(candidates -> preferred(candidates, originalTypes));
        }
        return lookup.thenCompose(found -> {
            if (found.isEmpty()) {
                return CompletableFuture.completedFuture(new Refused(ResponseCodes.UNABLE_TO_LOCATE_ORIGINAL));
            }
            JournalEntry original = found.get();
            if (!Arrays.equals(original.request().card().panToken(), record.card().panToken())) {
                return CompletableFuture.completedFuture(new Refused(ResponseCodes.UNABLE_TO_LOCATE_ORIGINAL));
            }
            if (!originalTypes.contains(TransactionType.valueOf(original.request().transactionType()))) {
                return CompletableFuture.completedFuture(new Refused(ResponseCodes.INVALID_TRANSACTION));
            }
            if (!authorizationCodeMatches(a, original)) {
                return CompletableFuture.completedFuture(new Refused(ResponseCodes.UNABLE_TO_LOCATE_ORIGINAL));
            }
            return reader.findLinked(original.id()).thenApply(linked -> check(new Original(original, linked)));
        });
    }

    /**
     * Whether a request acting on a pre-authorization (its void, its completion, a completion advice)
     * names it by the approval code it was given: field 38, which these requests must carry, is the
     * code the merchant was told (often keyed in by hand for a completion), and one that is not the
     * pre-authorization's means the RRN or trace names another hold than the merchant meant. Other
     * requests may carry 38 or not, and it is not compared; nor where the original got no code.
     */
    static boolean authorizationCodeMatches(Authorization a, JournalEntry original) {
        if (!NAMED_BY_APPROVAL_CODE.contains(a.type()) || a.originalAuth() == null || original.outcome() == null
                || original.outcome().authCode() == null) {
            return true;
        }
        return a.originalAuth().strip().equals(original.outcome().authCode().strip());
    }

    /** Whether {@code rrn} could be one the switch gave: up to 12 printable ASCII characters. */
    static boolean couldBeRrn(String rrn) {
        return rrn.length() <= 12 && rrn.chars().allMatch(c -> c >= 0x20 && c < 0x7F);
    }

    /** The newest candidate of a type the request can act on, else the newest of any (refused 12). */
    static Optional<JournalEntry> preferred(List<JournalEntry> candidates, Set<TransactionType> originalTypes) {
        return candidates.stream()
                .filter(e -> originalTypes.contains(TransactionType.valueOf(e.request().transactionType())))
                .findFirst()
                .or(() -> candidates.stream().findFirst());
    }

    private static Found check(Original original) {
        return switch (original.entry().state()) {
            case APPROVED, STAND_IN_APPROVED -> original;
            case REVERSAL_PENDING, REVERSED -> original.hasApproved(TransactionVoids.VOIDS)
                    ? new Refused(ResponseCodes.DUPLICATE_TRANSMISSION)
                    : new Refused(ResponseCodes.INVALID_TRANSACTION);
            case SENT, DECLINED, TIMED_OUT -> new Refused(ResponseCodes.UNABLE_TO_LOCATE_ORIGINAL);
        };
    }
}
