package io.isoswitch.core.batch;

import io.isoswitch.codec.IsoMessageView;
import io.isoswitch.core.listener.Decision;
import io.isoswitch.core.listener.MacSigner;
import io.isoswitch.core.terminal.Terminal;
import io.isoswitch.core.txn.ResponseCodes;
import io.isoswitch.core.txn.TransactionType;
import io.isoswitch.settlement.batch.BatchTotals;
import io.isoswitch.settlement.batch.Batches;
import io.isoswitch.settlement.batch.SettleResult;
import io.isoswitch.settlement.batch.UploadLine;
import io.isoswitch.settlement.batch.UploadResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settlement (0500) and batch upload (0320) from a terminal whose session and MAC the pipeline has
 * checked. Fields are read on the event loop (a bad one answers 30 at once); the batch work runs on
 * the database's executor.
 *
 * <pre>
 * 0500 agrees            -> 00, field 48 = the totals, result 1 (balanced)
 * 0500 disagrees         -> cup-pos 00 / ISO 1987 95, field 48 = the host's totals, result 2
 * 0320 detail            -> 00 (lines kept)        0320 without a pending settlement -> 12
 * 0320 end               -> 00, the batch closed with the host's figures
 * </pre>
 *
 * UnionPay terminals read the outcome from field 48's result digit and upload after a 00 with
 * result 2 (cup-pos.md 8); 1987 terminals take 95 "reconciliation error" as the cue.
 */
public final class TerminalBatches {
    private static final Logger LOG = LoggerFactory.getLogger(TerminalBatches.class);
    private static final String UNIONPAY_SIGN_ON_AGAIN = "77";
    private static final char BALANCED = '1';
    private static final char UNBALANCED = '2';
    private static final int CURRENCY_FIELD = 49;

    private final Batches batches;
    private final Function<String, byte[]> panToken;
    private final BatchMetrics metrics;

    /**
     * @param batches  the batches on the journal's database
     * @param panToken the HMAC token of a PAN, as the journal stores it (to compare uploaded cards)
     * @param metrics  batch closes and refusals
     */
    public TerminalBatches(Batches batches, Function<String, byte[]> panToken, BatchMetrics metrics) {
        this.batches = batches;
        this.panToken = panToken;
        this.metrics = metrics;
    }

    /** The terminal's open batch number, six digits (UnionPay sign-on returns it in 60.2). */
    public CompletionStage<String> openBatch(String terminalId) {
        return batches.openBatchNumber(terminalId).thenApply(n -> String.format(java.util.Locale.ROOT, "%06d", n));
    }

    /** Answers a settlement or batch upload; the answer is MACed with {@code signer}. */
    public CompletionStage<Decision> handle(IsoMessageView request, boolean cup, Terminal terminal, TransactionType type,
                                            MacSigner signer) {
        try {
            return type == TransactionType.SETTLEMENT ? settle(request, cup, terminal, signer)
                    : upload(request, cup, terminal, signer);
        } catch (BatchFormatException | io.isoswitch.codec.IsoCodecException e) {
            metrics.refused(BatchMetrics.Refusal.FORMAT);
            LOG.info("{} from terminal {} refused: {}", type.tag(), terminal.id(), e.getMessage());
            return CompletableFuture.completedFuture(new Decision(ResponseCodes.FORMAT_ERROR, Map.of(), signer, type.tag(), "none"));
        }
    }

    private CompletionStage<Decision> settle(IsoMessageView request, boolean cup, Terminal terminal, MacSigner signer) {
        BatchTotals claimed = SettlementFields.totals(required(request, SettlementFields.TOTALS_FIELD));
        CharSequence field60 = required(request, SettlementFields.BATCH_FIELD);
        int batch = SettlementFields.batchNumber(field60, cup);
        SettlementFields.requireSettlementCode(field60, cup);
        String currency = required(request, CURRENCY_FIELD).toString();
        if (currency.length() != 3 || !currency.chars().allMatch(Character::isDigit)) {
            throw new BatchFormatException(CURRENCY_FIELD, "expected an ISO 4217 numeric currency");
        }
        String tag = TransactionType.SETTLEMENT.tag();
        return answered(batches.settle(terminal.id(), batch, currency, claimed, SettlementFields::agree).thenApply(result -> {
            if (result.numberInUse()) {
                // UnionPay: 77, batch number mismatch, sign on again (the 0810 carries the open
                // number in 60.2); ISO 1987: 12 (its 0810 carries the open number in field 60)
                metrics.refused(BatchMetrics.Refusal.BATCH_NUMBER);
                LOG.info("settlement of batch {} from terminal {} refused: closed before with other totals (open batch {})",
                        batch, terminal.id(), result.nextBatch());
                return new Decision(cup ? UNIONPAY_SIGN_ON_AGAIN : ResponseCodes.INVALID_TRANSACTION, Map.of(), signer, tag, "none");
            }
            count(result);
            // a repeat is answered as the settlement it repeats was: one that closed the batch only
            // after an upload had been found out of balance, and is told so again (not "balanced")
            boolean balanced = result.outcome() == io.isoswitch.settlement.batch.BatchOutcome.BALANCED;
            String code = balanced || cup ? ResponseCodes.APPROVED : ResponseCodes.RECONCILIATION_ERROR;
            // balanced: the terminal's own figures echoed; otherwise the host's, for it to show
            BatchTotals reported = balanced && !result.repeat() ? claimed : result.host();
            return new Decision(code, Map.of(SettlementFields.TOTALS_FIELD,
                    SettlementFields.answerTotals(reported, balanced ? BALANCED : UNBALANCED)), signer, tag, "none");
        }), signer, tag);
    }

    private CompletionStage<Decision> upload(IsoMessageView request, boolean cup, Terminal terminal, MacSigner signer) {
        CharSequence field60 = required(request, SettlementFields.BATCH_FIELD);
        int batch = SettlementFields.batchNumber(field60, cup);
        SettlementFields.UploadCode code = SettlementFields.uploadCode(field60, cup);
        CharSequence field48 = required(request, SettlementFields.TOTALS_FIELD);
        String tag = TransactionType.BATCH_UPLOAD.tag();
        if (code == SettlementFields.UploadCode.END) {
            int declared = SettlementFields.uploadedCount(field48);
            return answered(batches.closeAfterUpload(terminal.id(), batch, declared).thenApply(result -> {
                result.ifPresent(this::count);
                return decision(result.isPresent(), signer, tag);
            }), signer, tag);
        }
        List<UploadLine> lines = new ArrayList<>();
        for (UploadedRecord record : SettlementFields.records(field48)) {
            lines.add(new UploadLine(record.stan(), record.cardFlag(), record.maskedPan(), panToken.apply(record.pan()),
                    record.amountMinor()));
        }
        return answered(batches.upload(terminal.id(), batch, lines)
                .thenApply(result -> decision(result != UploadResult.NOT_EXPECTED, signer, tag)), signer, tag);
    }

    private Decision decision(boolean accepted, MacSigner signer, String tag) {
        if (!accepted) {
            metrics.refused(BatchMetrics.Refusal.NOT_EXPECTED);
        }
        return new Decision(accepted ? ResponseCodes.APPROVED : ResponseCodes.INVALID_TRANSACTION, Map.of(), signer, tag, "none");
    }

    private void count(SettleResult result) {
        if (!result.repeat()) {
            metrics.settled(result.outcome());
        }
    }

    /** A database failure answers 96: the terminal keeps its batch and settles again later. */
    private CompletionStage<Decision> answered(CompletionStage<Decision> work, MacSigner signer, String tag) {
        return work.exceptionally(failure -> {
            metrics.refused(BatchMetrics.Refusal.DATABASE);
            LOG.warn("{} could not be recorded: {}", tag, failure.toString());
            return new Decision(ResponseCodes.SYSTEM_ERROR, Map.of(), signer, tag, "none");
        });
    }

    private static CharSequence required(IsoMessageView request, int field) {
        if (!request.has(field)) {
            throw new BatchFormatException(field, "expected the field, found none");
        }
        return request.getString(field);
    }
}
