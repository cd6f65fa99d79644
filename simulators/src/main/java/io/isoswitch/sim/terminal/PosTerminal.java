package io.isoswitch.sim.terminal;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.security.ExportedKey;
import io.isoswitch.security.HsmException;
import io.isoswitch.security.KeyAlgorithm;
import io.isoswitch.security.KeyKind;
import io.isoswitch.security.PinBlockFormat;
import io.isoswitch.security.SecureKey;
import io.isoswitch.sim.terminal.TerminalMessages.Original;
import io.isoswitch.sim.terminal.TerminalResult.Outcome;
import io.isoswitch.sim.wire.FramedSocket;
import io.isoswitch.sim.wire.WorkingKeys;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One simulated POS terminal on one connection, behaving as a real one does: it signs on and
 * installs the working keys it receives under its TMK after checking their check values; it
 * sends PIN blocks (ISO format 0 under the TPK) and MACs its financial requests under the TAK, and
 * checks the MAC of every answer that carries one; when no answer comes in time it reverses
 * (reason 98), repeating the reversal until acknowledged; when an approved answer's MAC is wrong
 * it reverses that too (reason A0); it keeps batch totals and closes the batch with a settlement,
 * uploading its transactions (0320) when the host disagrees.
 *
 * <p>Blocking, one transaction at a time, not thread-safe: run each terminal on its own (virtual)
 * thread. Answers that do not match the request in flight (late or duplicated ones) are skipped.
 */
public final class PosTerminal implements AutoCloseable {
    /** The switch's answer when a terminal's keys are retired: sign on again (ISO, UnionPay). */
    static final String SIGN_ON_AGAIN_ISO = "58";
    static final String SIGN_ON_AGAIN_CUP = "77";
    /** The 1987 dialects' answer to a settlement whose totals the host does not share. */
    static final String RECONCILIATION_ERROR = "95";
    /** A host's answer to a request sent again while it still waits for the first send's outcome. */
    static final String STILL_IN_FLIGHT = "94";
    /** Transactions per batch upload message (cup-pos.md 4.3). */
    static final int UPLOAD_RECORDS_PER_MESSAGE = 8;

    private TerminalConfig config;
    private final TerminalDialect dialect;
    private TerminalLink link;
    private boolean broken;
    private final TerminalMessages messages;
    private final StanSequence stans;
    private final BatchTotals batch = new BatchTotals();
    private final Map<Integer, Original> approved = new LinkedHashMap<>();
    private final List<IsoMessage> pendingReversals = new ArrayList<>();
    private final List<PendingAdvice> pendingAdvices = new ArrayList<>();
    private IsoMessage lastFinancial;
    private IsoMessage lastReversal;
    private TerminalResult lastResult;
    private SecureKey tpk;
    private SecureKey tak;
    private int batchNumber = 1;

    private PosTerminal(TerminalConfig config, FramedSocket socket, int firstStan) {
        this.config = config;
        this.stans = new StanSequence(firstStan);
        this.dialect = config.dialect();
        this.link = new TerminalLink(config, socket);
        this.messages = new TerminalMessages(config);
    }

    /** Connects to the switch. */
    public static PosTerminal connect(TerminalConfig config) {
        return connect(config, 1);
    }

    /**
     * Connects to the switch, numbering from {@code firstStan}: a terminal that runs again the
     * same day must not reuse the STANs of its earlier run, which the switch declines 94.
     */
    public static PosTerminal connect(TerminalConfig config, int firstStan) {
        return new PosTerminal(config, open(config), firstStan);
    }

    private static FramedSocket open(TerminalConfig config) {
        return FramedSocket.connect(config.host(), config.port(), config.dialect().header(), config.dialect().prefix(),
                config.timeout());
    }

    /** False once the connection broke (the peer closed it, or a send failed). */
    public boolean connected() {
        return !broken;
    }

    /**
     * Opens a new connection to the switch (after it broke, or to move to another node), keeping
     * the working keys, the batch and the pending reversals, as a terminal redialling does.
     */
    public void reconnect() {
        link.close();
        link = new TerminalLink(config, open(config));
        broken = false;
    }

    /** As {@link #reconnect()}, to another port: the same switch restarted elsewhere, or another node of it. */
    public void reconnect(int port) {
        config = config.withPort(port);
        reconnect();
    }

    /**
     * Sends the last financial request again, unchanged (same STAN, date and MAC), as a terminal
     * that missed or doubts an answer does; a switch must answer it from what it decided the first
     * time. No answer is just that: the first answer stands and nothing is reversed. Empty when
     * there was no financial request yet.
     */
    public Optional<TerminalResult> repeatLast() {
        if (lastFinancial == null) {
            return Optional.empty();
        }
        Optional<TerminalLink.Received> answer = exchange(lastFinancial, true);
        settlePendingAdvice(lastFinancial, trusted(answer));
        TerminalResult first = lastResult;
        IsoMessage response = answer.map(TerminalLink.Received::message).orElse(null);
        return Optional.of(new TerminalResult(first.operation(), response == null ? Outcome.NO_ANSWER : Outcome.ANSWERED,
                first.stan(), response != null && response.has(37) ? response.getString(37) : first.rrn(),
                response == null ? "" : nullToEmpty(response.getString(39)),
                response == null ? "" : nullToEmpty(response.getString(38)), first.amountMinor(), first.currency(),
                first.maskedPan(), "", first.date(), first.time()));
    }

    /**
     * As {@link #repeatLast()}, but marked as a repeat (0101, 0201): what a terminal sends when it
     * doubts the first send arrived. The switch must answer it as it answered (or would have
     * answered) the first. Empty when there was no financial request yet.
     */
    public Optional<TerminalResult> repeatLastMarked() {
        if (lastFinancial == null) {
            return Optional.empty();
        }
        String first = lastFinancial.mti();
        lastFinancial.mti(first.substring(0, 3) + "1");
        try {
            return repeatLast();
        } finally {
            lastFinancial.mti(first);
        }
    }

    /**
     * Sends the last reversal again as a repeat (0401, same STAN), whether or not it was
     * acknowledged; returns the answer's response code, or empty without an answer (or when there
     * was no reversal). A switch answers it from the first reversal's outcome and moves nothing again.
     */
    public Optional<String> repeatLastReversal() {
        if (lastReversal == null || dialect.isCup()) {
            return Optional.empty();
        }
        lastReversal.mti("0401");
        return exchange(lastReversal, true).map(a -> nullToEmpty(a.message().getString(39)));
    }

    /** The terminal's configuration. */
    public TerminalConfig config() {
        return config;
    }

    /** True once working keys are installed. */
    public boolean signedOn() {
        return tpk != null;
    }

    /** The open batch's totals. */
    public BatchTotals batchTotals() {
        return batch;
    }

    /** The open batch number, six digits. */
    public String batchNumber() {
        return String.format(Locale.ROOT, "%06d", batchNumber);
    }

    /** Reversals sent without acknowledgement, kept to send again with {@link #retryPendingReversals()}. */
    public int pendingReversals() {
        return pendingReversals.size();
    }

    /** Advices (UnionPay refunds) sent without an answer the terminal could trust, to be sent again. */
    public int pendingAdvices() {
        return pendingAdvices.size();
    }

    /** Sign-on: receives the TPK and TAK under the TMK and installs them if their check values match. */
    public TerminalResult signOn() {
        int stan = stans.next();
        ZonedDateTime now = now();
        Optional<TerminalLink.Received> answer = exchange(messages.network("001", stan, batchNumber(), now), false);
        if (answer.isEmpty()) {
            return management(TerminalOperation.SIGN_ON, Outcome.NO_ANSWER, stan, "", now);
        }
        IsoMessage response = answer.get().message();
        String code = nullToEmpty(response.getString(39));
        if (!"00".equals(code)) {
            return management(TerminalOperation.SIGN_ON, Outcome.ANSWERED, stan, code, now);
        }
        try {
            List<ExportedKey> keys = dialect.isCup() ? WorkingKeys.fromBytes(response.getBytes(62), 16)
                    : WorkingKeys.fromHex(response.getString(62), 16);
            SecureKey newTpk = config.hsm().importKey(KeyKind.TPK, KeyAlgorithm.TDES_2KEY, keys.get(0).cryptogram(),
                    config.tmk(), keys.get(0).checkValue());
            SecureKey newTak = config.hsm().importKey(KeyKind.TAK, KeyAlgorithm.TDES_2KEY, keys.get(1).cryptogram(),
                    config.tmk(), keys.get(1).checkValue());
            tpk = newTpk;
            tak = newTak;
        } catch (HsmException | IllegalArgumentException | NullPointerException | IndexOutOfBoundsException e) {
            return management(TerminalOperation.SIGN_ON, Outcome.KEYS_REJECTED, stan, code, now);
        }
        // the host's open batch: UnionPay 60.2; ISO 1987 field 60's six digits, when the host sends them
        String field60 = response.has(60) ? response.getString(60) : "";
        String openBatch = dialect.isCup() ? (field60.length() >= 8 ? field60.substring(2, 8) : "")
                : (field60.length() == 6 ? field60 : "");
        if (!openBatch.isEmpty() && openBatch.chars().allMatch(Character::isDigit) && Integer.parseInt(openBatch) > 0) {
            batchNumber = Integer.parseInt(openBatch);
        }
        return management(TerminalOperation.SIGN_ON, Outcome.ANSWERED, stan, code, now);
    }

    /**
     * The UnionPay start-up downloads a signed-on EMV terminal makes (cup-pos.md 7.1): parameters,
     * status, every CA public key and every AID the switch lists. Only for {@code cup-pos}
     * terminals; management messages, sent without a MAC.
     */
    public StartupDownload.Result downloadParameters() {
        if (!dialect.isCup()) {
            throw new IllegalStateException("only UnionPay (cup-pos) terminals download EMV parameters");
        }
        return new StartupDownload((mti, nmic, field62) -> exchange(
                messages.download(mti, nmic, stans.next(), batchNumber(), field62, now()), false)
                .map(TerminalLink.Received::message)).run();
    }

    /** Echo test. */
    public TerminalResult echo() {
        return network(TerminalOperation.ECHO, "301");
    }

    /** Sign-off: the working keys are forgotten. */
    public TerminalResult signOff() {
        TerminalResult result = network(TerminalOperation.SIGN_OFF, "002");
        tpk = null;
        tak = null;
        return result;
    }

    public TerminalResult purchase(CardData card, long amountMinor) {
        return transact(TerminalOperation.PURCHASE, card, amountMinor, null);
    }

    public TerminalResult refund(CardData card, long amountMinor) {
        return transact(TerminalOperation.REFUND, card, amountMinor, null);
    }

    /**
     * Refunds {@code amountMinor} of an approved purchase of this terminal, naming it by RRN (field
     * 37; UnionPay also field 61): what a switch bounds by what is left to refund of it.
     */
    public TerminalResult refundOf(TerminalResult purchase, long amountMinor) {
        Original original = original(purchase, TerminalOperation.PURCHASE);
        return transact(TerminalOperation.REFUND, original.card().withPin(""), amountMinor, original);
    }

    public TerminalResult preAuth(CardData card, long amountMinor) {
        return transact(TerminalOperation.PRE_AUTH, card, amountMinor, null);
    }

    public TerminalResult balanceInquiry(CardData card) {
        return transact(TerminalOperation.BALANCE_INQUIRY, card, 0, null);
    }

    /** Completes an approved pre-authorization of this terminal for {@code amountMinor}. */
    public TerminalResult completion(TerminalResult preAuth, long amountMinor) {
        Original original = original(preAuth, TerminalOperation.PRE_AUTH);
        return transact(TerminalOperation.COMPLETION, original.card().withPin(""), amountMinor, original);
    }

    /** Voids an approved pre-authorization of this terminal: the hold is released. */
    public TerminalResult preAuthVoid(TerminalResult preAuth) {
        Original original = original(preAuth, TerminalOperation.PRE_AUTH);
        return transact(TerminalOperation.PRE_AUTH_VOID, original.card().withPin(""), original.amountMinor(), original);
    }

    /** Voids an approved purchase of the open batch. */
    public TerminalResult voidOf(TerminalResult purchase) {
        Original original = original(purchase, TerminalOperation.PURCHASE);
        return transact(TerminalOperation.VOID, original.card().withPin(""), original.amountMinor(), original);
    }

    /** Reverses an approved transaction of its own accord (reason 06), as after a printer jam. */
    public TerminalResult reverse(TerminalResult result) {
        Original original = approved.get(result.stan());
        if (original == null || original.operation() != result.operation()) {
            throw new IllegalStateException("reverse: stan " + result.stan() + " is no approved transaction of this batch");
        }
        IsoMessage request = messages.financial(original.operation(), original.stan(), original.card().withPin(""),
                original.amountMinor(), null, original.batch(), now());
        request.mti(original.mti()).set(7, original.transmission());
        if (dialect.isCup()) {
            request.unset(7);
        }
        boolean acknowledged = sendReversal(request, "06");
        if (acknowledged) {
            forget(original);
        }
        return new TerminalResult(TerminalOperation.REVERSAL, acknowledged ? Outcome.ANSWERED
                : Outcome.TIMED_OUT_REVERSAL_PENDING, original.stan(), original.rrn(), acknowledged ? "00" : "", "",
                original.amountMinor(), config.currency(), original.card().maskedPan(), "", "", "");
    }

    /**
     * Sends every pending reversal and advice once more (an advice unchanged: the host answers a
     * repeat from its first booking); returns how many of both are still pending.
     */
    public int retryPendingReversals() {
        List<IsoMessage> again = new ArrayList<>(pendingReversals);
        pendingReversals.clear();
        for (IsoMessage reversal : again) {
            if (!deliverReversal(reversal)) {
                pendingReversals.add(reversal);
            }
        }
        for (PendingAdvice advice : List.copyOf(pendingAdvices)) {
            settlePendingAdvice(advice.request(), trusted(exchange(advice.request(), true)));
        }
        return pendingReversals.size() + pendingAdvices.size();
    }

    /** With a trusted answer to a pending advice's {@code request}: no longer pending, and booked if approved. */
    private void settlePendingAdvice(IsoMessage request, Optional<TerminalLink.Received> answer) {
        if (answer.isEmpty()) {
            return;
        }
        for (PendingAdvice advice : pendingAdvices) {
            if (advice.request() == request) {
                pendingAdvices.remove(advice);
                TerminalResult result = result(advice.operation(), Outcome.ANSWERED, request, answer.get().message(),
                        advice.amountMinor(), advice.card(), now());
                if (result.approved()) {
                    remember(advice.operation(), request, result, advice.original(), advice.amountMinor(), advice.card());
                }
                return;
            }
        }
    }

    /** An advice the terminal must learn the outcome of, waiting for an answer it can trust. */
    private record PendingAdvice(TerminalOperation operation, IsoMessage request, long amountMinor, CardData card,
                                 Original original) {
    }

    /** The answer if its MAC verifies and it is not the host's "still in flight" for an earlier send. */
    private Optional<TerminalLink.Received> trusted(Optional<TerminalLink.Received> answer) {
        return answer.filter(a -> link.macVerifies(a.body(), tak) && !STILL_IN_FLIGHT.equals(a.message().getString(39)));
    }

    /**
     * Closes the batch: a settlement with the terminal's totals; if the host's differ, every
     * transaction is uploaded (0320) and a closing 0320 follows. The host says it differs with
     * field 48's result digit 2 (UnionPay answers 00 with it, cup-pos.md 8) or, for the 1987
     * dialects, with 95 "reconciliation error". Settlement and uploads are MACed like financial
     * requests once the terminal holds a TAK. The batch number moves on once the batch is closed.
     */
    public SettlementResult settle() {
        CurrencyTotals totals = batch.totals(config.currency());
        String closing = batchNumber();
        Optional<TerminalLink.Received> answer = exchange(messages.settlement(stans.next(), closing, totals, now()), true);
        if (answer.isEmpty()) {
            return new SettlementResult("", false, false, 0, totals, closing);
        }
        IsoMessage response = answer.get().message();
        String code = nullToEmpty(response.getString(39));
        char result = response.has(48) && response.getString(48).length() >= SettlementTotals.LENGTH / 2
                ? SettlementTotals.result(response.getString(48)) : '0';
        boolean balanced = "00".equals(code) && result == SettlementTotals.BALANCED;
        boolean unbalanced = dialect.isCup() ? "00".equals(code) && result != SettlementTotals.BALANCED
                : RECONCILIATION_ERROR.equals(code);
        int uploaded = 0;
        boolean closed = balanced;
        if (unbalanced) {
            List<Original> records = approved.values().stream().filter(o -> o.operation().batchSide() != null).toList();
            for (int from = 0; from < records.size(); from += UPLOAD_RECORDS_PER_MESSAGE) {
                List<Original> chunk = records.subList(from, Math.min(records.size(), from + UPLOAD_RECORDS_PER_MESSAGE));
                exchange(messages.uploadDetail(stans.next(), closing, chunk, now()), true);
                uploaded += chunk.size();
            }
            closed = exchange(messages.uploadEnd(stans.next(), closing, uploaded, now()), true)
                    .map(end -> "00".equals(end.message().getString(39))).orElse(false);
        }
        if (closed) {
            batch.clear();
            approved.clear();
            batchNumber = batchNumber % 999_999 + 1;
        }
        return new SettlementResult(code, balanced, unbalanced, uploaded, totals, closing);
    }

    private TerminalResult network(TerminalOperation op, String code) {
        int stan = stans.next();
        ZonedDateTime now = now();
        Optional<TerminalLink.Received> answer = exchange(messages.network(code, stan, batchNumber(), now), false);
        return management(op, answer.isPresent() ? Outcome.ANSWERED : Outcome.NO_ANSWER, stan,
                answer.map(a -> nullToEmpty(a.message().getString(39))).orElse(""), now);
    }

    private TerminalResult transact(TerminalOperation op, CardData card, long amountMinor, Original original) {
        if (!signedOn()) {
            throw new IllegalStateException(op + ": the terminal has not signed on");
        }
        int stan = stans.next();
        ZonedDateTime now = now();
        IsoMessage request = messages.financial(op, stan, card, amountMinor, original, batchNumber(), now);
        if (!card.pin().isEmpty()) {
            request.set(52, config.hsm().encryptPin(tpk, card.pin(), card.pan(), PinBlockFormat.ISO_0));
        }
        Optional<TerminalLink.Received> answer = exchange(request, true);
        if (sentAgainWhenUnanswered(op)) {
            // a UnionPay refund is an advice (0220): never reversed, it is sent again, unchanged,
            // until answered by an answer it can trust, since the host may have credited it although
            // its answer was lost or arrived damaged
            answer = answer.filter(a -> link.macVerifies(a.body(), tak));
            for (int attempt = 1; answer.isEmpty() && !broken && attempt < config.reversalAttempts(); attempt++) {
                // "still in flight": the host waits for the first send's outcome, so no answer yet
                answer = trusted(exchange(request, true));
            }
        } else if (op == TerminalOperation.COMPLETION) {
            // an ISO completion advice (0220) answered 96 or 91 was not taken: sent again, unchanged;
            // still not taken, it is reversed as one unanswered is, since the host may have booked it
            for (int attempt = 1; answer.isPresent() && !taken(op, answer.get()) && !broken
                    && attempt < config.reversalAttempts(); attempt++) {
                answer = exchange(request, true);
            }
            answer = answer.filter(a -> taken(op, a));
        }
        if (sentAgainWhenUnanswered(op) && answer.isEmpty()) {
            pendingAdvices.add(new PendingAdvice(op, request, amountMinor, card, original));
            return keepLast(request, result(op, Outcome.ADVICE_PENDING, request, null, amountMinor, card, now));
        }
        TerminalResult kept = keepLast(request, transactResult(op, request, answer, amountMinor, card, original, now));
        return kept;
    }

    /**
     * The requests a terminal sends again rather than reverses when no answer comes: a UnionPay
     * refund (0220, 60.1 {@code 25}), whose outcome the terminal must learn from the host.
     */
    private boolean sentAgainWhenUnanswered(TerminalOperation op) {
        return dialect.isCup() && op == TerminalOperation.REFUND;
    }

    /**
     * Whether the host took an ISO completion advice: one answered 96 or 91 was not taken (the
     * acquirer could not record it, or not yet) and is sent again, as the switch expects
     * (docs/transactions.md, completion advice). Taken as a declined completion, it left the
     * terminal believing the completion undone while the switch, its write in doubt, had booked it.
     */
    private boolean taken(TerminalOperation op, TerminalLink.Received answer) {
        return op != TerminalOperation.COMPLETION || dialect.isCup()
                || !java.util.Set.of("96", "91").contains(nullToEmpty(answer.message().getString(39)));
    }

    private TerminalResult keepLast(IsoMessage request, TerminalResult result) {
        lastFinancial = request;
        lastResult = result;
        return result;
    }

    private TerminalResult transactResult(TerminalOperation op, IsoMessage request, Optional<TerminalLink.Received> answer,
            long amountMinor, CardData card, Original original, ZonedDateTime now) {
        boolean reversible = op != TerminalOperation.BALANCE_INQUIRY && !sentAgainWhenUnanswered(op);
        if (answer.isEmpty() && broken) {
            if (reversible) {
                pendingReversals.add(messages.reversal(request, stans.next(), "98", now()));
            }
            return result(op, reversible ? Outcome.CONNECTION_LOST : Outcome.NO_ANSWER, request, null, amountMinor, card,
                    now);
        }
        if (answer.isEmpty()) {
            Outcome outcome = !reversible ? Outcome.NO_ANSWER
                    : sendReversal(request, "98") ? Outcome.TIMED_OUT_REVERSED : Outcome.TIMED_OUT_REVERSAL_PENDING;
            return result(op, outcome, request, null, amountMinor, card, now);
        }
        IsoMessage response = answer.get().message();
        if (!link.macVerifies(answer.get().body(), tak)) {
            // nothing in an answer whose MAC fails can be trusted, its response code least of all: the
            // host may have approved what reads as a decline, so whatever it says is reversed
            if (reversible) {
                sendReversal(request, "A0");
            }
            return result(op, Outcome.MAC_FAILED, request, response, amountMinor, card, now);
        }
        TerminalResult result = result(op, Outcome.ANSWERED, request, response, amountMinor, card, now);
        if (result.responseCode().equals(dialect.isCup() ? SIGN_ON_AGAIN_CUP : SIGN_ON_AGAIN_ISO)) {
            // the switch retired this terminal's keys: they are dropped, the next step signs on again
            tpk = null;
            tak = null;
        }
        if (result.approved()) {
            remember(op, request, result, original, amountMinor, card);
        }
        return result;
    }

    private void remember(TerminalOperation op, IsoMessage request, TerminalResult result, Original original,
            long amountMinor, CardData card) {
        if (op == TerminalOperation.VOID || op == TerminalOperation.PRE_AUTH_VOID) {
            forget(original);
            return;
        }
        if (op.batchSide() != null) {
            batch.add(op.batchSide(), config.currency(), amountMinor);
        }
        if (op == TerminalOperation.COMPLETION) {
            approved.remove(original.stan());
        }
        if (op != TerminalOperation.BALANCE_INQUIRY) {
            approved.put(result.stan(), new Original(op, request.mti(), result.stan(),
                    request.has(7) ? request.getString(7) : request.getString(13) + request.getString(12), batchNumber(),
                    result.rrn(), result.approvalCode(), amountMinor, card));
        }
    }

    private void forget(Original original) {
        approved.remove(original.stan());
        if (original.operation().batchSide() != null) {
            batch.remove(original.operation().batchSide(), config.currency(), original.amountMinor());
        }
    }

    private Original original(TerminalResult result, TerminalOperation expected) {
        Original original = approved.get(result.stan());
        if (original == null || original.operation() != expected) {
            throw new IllegalStateException(expected + ": stan " + result.stan() + " is no approved "
                    + expected.name().toLowerCase(Locale.ROOT) + " of this batch");
        }
        return original;
    }

    /** Sends a reversal of {@code request}, repeating it until acknowledged or out of attempts. */
    private boolean sendReversal(IsoMessage request, String reason) {
        IsoMessage reversal = messages.reversal(request, stans.next(), reason, now());
        if (deliverReversal(reversal)) {
            return true;
        }
        pendingReversals.add(reversal);
        return false;
    }

    private boolean deliverReversal(IsoMessage reversal) {
        lastReversal = reversal;
        for (int attempt = 0; attempt < config.reversalAttempts(); attempt++) {
            if (attempt > 0 && !dialect.isCup()) {
                reversal.mti("0401");
            }
            Optional<TerminalLink.Received> answer = exchange(reversal, true);
            if (answer.isPresent() && !NOT_TAKEN.contains(nullToEmpty(answer.get().message().getString(39)))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Answers to a reversal that say the host did not take it, so that the terminal must send it
     * again: 96 (it could not record it, its database away), 91 (it could not reach what it needed)
     * and 94 (an earlier send of it is still in progress, and may yet fail). Any other answer
     * acknowledges it (00, or a code saying there was nothing to reverse).
     */
    private static final java.util.Set<String> NOT_TAKEN = java.util.Set.of("96", "91", STILL_IN_FLIGHT);

    /** The answer, or empty on timeout or when the connection is (or becomes) broken. */
    private Optional<TerminalLink.Received> exchange(IsoMessage request, boolean mac) {
        if (broken) {
            return Optional.empty();
        }
        try {
            return link.exchange(request, mac ? tak : null);
        } catch (FramedSocket.PeerClosedException | java.io.UncheckedIOException e) {
            broken = true;
            return Optional.empty();
        }
    }

    private TerminalResult result(TerminalOperation op, Outcome outcome, IsoMessage request, IsoMessage response,
            long amountMinor, CardData card, ZonedDateTime now) {
        String rrn = response != null && response.has(37) ? response.getString(37) : nullToEmpty(request.getString(37));
        return new TerminalResult(op, outcome, Integer.parseInt(request.getString(11)), rrn,
                response == null ? "" : nullToEmpty(response.getString(39)),
                response == null ? "" : nullToEmpty(response.getString(38)), amountMinor, config.currency(),
                card.maskedPan(), response == null ? "" : nullToEmpty(response.getString(54)),
                request.getString(13), request.getString(12));
    }

    private TerminalResult management(TerminalOperation op, Outcome outcome, int stan, String code, ZonedDateTime now) {
        return new TerminalResult(op, outcome, stan, "", code, "", 0, config.currency(), "", "",
                now.format(java.time.format.DateTimeFormatter.ofPattern("MMdd", Locale.ROOT)),
                now.format(java.time.format.DateTimeFormatter.ofPattern("HHmmss", Locale.ROOT)));
    }

    private ZonedDateTime now() {
        return ZonedDateTime.now(config.clock());
    }

    private static String nullToEmpty(String text) {
        return text == null ? "" : text;
    }

    @Override
    public void close() {
        link.close();
    }
}
