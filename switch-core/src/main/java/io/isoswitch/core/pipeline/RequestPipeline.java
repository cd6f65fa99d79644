package io.isoswitch.core.pipeline;

import io.isoswitch.codec.IsoMessageView;
import io.isoswitch.codec.tlv.TlvException;
import io.isoswitch.core.batch.TerminalBatches;
import io.isoswitch.core.emv.EmvDownloads;
import io.isoswitch.core.emv.EmvParameters;
import io.isoswitch.core.listener.Decision;
import io.isoswitch.core.listener.DialectProfile;
import io.isoswitch.core.listener.Exchange;
import io.isoswitch.core.listener.MacSigner;
import io.isoswitch.core.listener.RequestProcessor;
import io.isoswitch.core.metrics.SwitchMetrics;
import io.isoswitch.core.session.SignOnService;
import io.isoswitch.core.session.SignOnsAcrossNodes;
import io.isoswitch.core.session.TerminalSession;
import io.isoswitch.core.session.TerminalSessions;
import io.isoswitch.core.terminal.Merchant;
import io.isoswitch.core.terminal.Terminal;
import io.isoswitch.core.terminal.TerminalDirectory;
import io.isoswitch.core.txn.CardOrganisation;
import io.isoswitch.core.txn.IccCrossCheck;
import io.isoswitch.core.txn.IccData;
import io.isoswitch.core.txn.RequestFacts;
import io.isoswitch.core.txn.RequestValidator;
import io.isoswitch.core.txn.ResponseCodes;
import io.isoswitch.core.txn.TransactionClassifier;
import io.isoswitch.core.txn.TransactionType;
import io.isoswitch.core.txn.UnionPayField60;
import io.isoswitch.security.Hsm;
import io.isoswitch.security.MacAlgorithm;
import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The switch's side of every request, on the connection's event loop:
 * classify -> terminal known and allowed -> (sign-on / sign-off / echo answered here) -> session
 * -> validate -> verify MAC -> {@link Authorizer} (limits, route, journal, issuer) -> decision
 * with the answer's MAC. Everything here is CPU work measured in microseconds; what waits is the
 * authorizer's, which completes later.
 */
public final class RequestPipeline implements RequestProcessor {
    private static final Logger LOG = LoggerFactory.getLogger(RequestPipeline.class);
    private static final int MAC_FIELD = 64;
    private static final int SECONDARY_MAC_FIELD = 128;
    private static final int KEYS_FIELD = 62;
    private static final int CUP_FIELD_60 = 60;
    private static final int CUP_FIELD_63 = 63;
    /** 60.3 of a UnionPay sign-on that asks for SM4 work keys (cup-pos.md 7.1), which the switch does not issue. */
    private static final String SM4_SIGN_ON = "006";
    private static final String SINGLE_LENGTH_SIGN_ON = "001";

    private final TerminalDirectory directory;
    private final TerminalSessions sessions;
    private final SignOnService signOn;
    private final Hsm hsm;
    private final RequestValidator validator;
    private final Authorizer authorizer;
    private final SwitchMetrics metrics;
    private final Clock clock;
    private final ZoneId businessZone;
    private final TerminalBatches batches;
    private final SignOnsAcrossNodes signOns;
    private final EmvDownloads emvDownloads;

    /** A pipeline that does not close batches: settlement and batch upload are answered 40. */
    public RequestPipeline(TerminalDirectory directory, TerminalSessions sessions, SignOnService signOn, Hsm hsm,
                           RequestValidator validator, Authorizer authorizer, SwitchMetrics metrics, Clock clock, ZoneId businessZone) {
        this(directory, sessions, signOn, hsm, validator, authorizer, metrics, clock, businessZone, null);
    }

    /** @param batches settlement and batch upload, and the batch number a UnionPay sign-on returns; null for none */
    public RequestPipeline(TerminalDirectory directory, TerminalSessions sessions, SignOnService signOn, Hsm hsm,
                           RequestValidator validator, Authorizer authorizer, SwitchMetrics metrics, Clock clock, ZoneId businessZone,
                           TerminalBatches batches) {
        this(directory, sessions, signOn, hsm, validator, authorizer, metrics, clock, businessZone, batches,
                new EmvDownloads(EmvParameters.none()));
    }

    /** @param emvDownloads what UnionPay terminals download after sign-on (CA keys, AIDs, parameters) */
    public RequestPipeline(TerminalDirectory directory, TerminalSessions sessions, SignOnService signOn, Hsm hsm,
                           RequestValidator validator, Authorizer authorizer, SwitchMetrics metrics, Clock clock, ZoneId businessZone,
                           TerminalBatches batches, EmvDownloads emvDownloads) {
        this(directory, sessions, signOn, hsm, validator, authorizer, metrics, clock, businessZone, batches, emvDownloads, null);
    }

    /**
     * @param signOns records each sign-on (and sign-off) in the database so that it ends the terminal's
     *                older sessions at every node, and keeps its keys there for a node without its
     *                session; null where sessions are this node's alone
     */
    public RequestPipeline(TerminalDirectory directory, TerminalSessions sessions, SignOnService signOn, Hsm hsm,
                           RequestValidator validator, Authorizer authorizer, SwitchMetrics metrics, Clock clock, ZoneId businessZone,
                           TerminalBatches batches, EmvDownloads emvDownloads, SignOnsAcrossNodes signOns) {
        this.signOns = signOns;
        this.emvDownloads = emvDownloads;
        this.batches = batches;
        this.directory = directory;
        this.sessions = sessions;
        this.signOn = signOn;
        this.hsm = hsm;
        this.validator = validator;
        this.authorizer = authorizer;
        this.metrics = metrics;
        this.clock = clock;
        this.businessZone = businessZone;
    }

    @Override
    public CompletionStage<Decision> process(Exchange exchange) {
        IsoMessageView request = exchange.request();
        DialectProfile dialect = exchange.dialect();
        Optional<TransactionType> classified = classify(request, dialect);
        if (classified.isEmpty()) {
            return done(Decision.of(unclassifiedCode(request, dialect), "unknown"));
        }
        TransactionType type = classified.get();
        if (!request.has(41)) {
            // a keep-alive echo from a host or a third-party client often names no terminal: it
            // asks only whether the link is up, so it is answered; everything else needs field 41
            return done(Decision.of(type == TransactionType.ECHO ? ResponseCodes.APPROVED : ResponseCodes.FORMAT_ERROR, type.tag()));
        }
        // a terminal is known only on a listener of the dialect it is registered with: its MAC
        // algorithm, key download format and answer codes follow that dialect
        Optional<Terminal> terminal = directory.terminal(request.terminalId().toString()).filter(Terminal::active)
                .filter(t -> t.dialect().equals(dialect.name()));
        if (terminal.isEmpty()) {
            return done(Decision.of(dialect.unknownTerminalCode(), type.tag()));
        }
        if (!terminal.get().allows(type)) {
            return done(Decision.of(ResponseCodes.NOT_PERMITTED_TO_TERMINAL, type.tag()));
        }
        if (type != TransactionType.ECHO && request.has(42) && !namesItsMerchant(request, terminal.get())) {
            // a terminal speaks for its own merchant only: one naming another (a cloned or
            // tampered terminal, or a shop's device moved) is refused before anything is done
            // for it; an echo does nothing, and a load tool's keep-alive may carry any 42
            metrics.merchantMismatch(dialect.name());
            return done(Decision.of(ResponseCodes.INVALID_MERCHANT, type.tag()));
        }
        return switch (type) {
            case ECHO -> done(Decision.of(ResponseCodes.APPROVED, type.tag()));
            case SIGN_OFF -> signOff(terminal.get(), type);
            case SIGN_ON -> signOn(request, dialect, terminal.get());
            case SETTLEMENT, BATCH_UPLOAD -> batches == null ? done(Decision.of(ResponseCodes.FUNCTION_NOT_SUPPORTED, type.tag()))
                    : batch(exchange, terminal.get(), type);
            // terminal-initiated key exchange is not served yet: say so (40) rather than fail it on a MAC it does not carry
            case KEY_EXCHANGE -> done(Decision.of(ResponseCodes.FUNCTION_NOT_SUPPORTED, type.tag()));
            case PARAMETER_DOWNLOAD, POS_STATUS_UPLOAD, CA_KEY_STATUS_UPLOAD, CA_KEY_DOWNLOAD, CA_KEY_DOWNLOAD_END,
                 AID_STATUS_UPLOAD, AID_DOWNLOAD, AID_DOWNLOAD_END -> emvDownload(exchange, terminal.get(), type);
            case SCRIPT_RESULT -> scriptResult(exchange, type);
            default -> financial(exchange, terminal.get(), type);
        };
    }

    /**
     * A sign-off ends the terminal's session here and, through the database, at every node (a
     * session taken up elsewhere from its keys included); answered once that is recorded, so that a
     * sign-on right after it is the later of the two everywhere. One the database could not record
     * changes nothing and is answered 96: the terminal sends it again.
     */
    private CompletionStage<Decision> signOff(Terminal terminal, TransactionType type) {
        if (signOns == null) {
            sessions.signedOff(terminal.id());
            return done(Decision.of(ResponseCodes.APPROVED, type.tag()));
        }
        return signOns.signOff(terminal.id()).handle((ended, failure) -> {
            if (failure != null) {
                LOG.warn("terminal {}: sign-off could not be recorded, nothing ended (96): {}", terminal.id(),
                        failure.toString());
                return Decision.of(ResponseCodes.SYSTEM_ERROR, type.tag());
            }
            return Decision.of(ResponseCodes.APPROVED, type.tag());
        });
    }

    /**
     * {@code next} with the terminal's session: this node's, or else the one its latest sign-on
     * left in the database ({@link SignOnsAcrossNodes#restore}: this node started again since, or
     * the terminal signed on at another), taken up on the connection's event loop; without either,
     * the terminal is told to sign on.
     */
    private CompletionStage<Decision> withSession(Exchange exchange, Terminal terminal, TransactionType type,
                                                  java.util.function.Function<TerminalSession, CompletionStage<Decision>> next) {
        Optional<TerminalSession> here = sessions.current(terminal.id());
        if (here.isPresent()) {
            return next.apply(here.get());
        }
        Decision signOnRequired = Decision.of(exchange.dialect().signOnRequiredCode(), type.tag());
        if (signOns == null) {
            return done(signOnRequired);
        }
        return signOns.restore(terminal.id())
                .exceptionally(failure -> {
                    LOG.info("terminal {}: its kept session could not be taken up, told to sign on: {}", terminal.id(), failure.toString());
                    return Optional.empty();
                })
                .thenComposeAsync(kept -> kept.isPresent() ? next.apply(kept.get()) : done(signOnRequired), exchange.channel().eventLoop());
    }

    /**
     * A request whose MAC failed under {@code held}: {@code next} again under a later sign-on's keys
     * kept in the database (the terminal signed on at another node, which this node's poll has not
     * told it of yet), else the MAC failure. A terminal is looked for there a few times a second at
     * most, so forged MACs under its id cost no database read each.
     */
    private CompletionStage<Decision> withNewerSession(Exchange exchange, Terminal terminal, TransactionType type, TerminalSession held,
                                                       java.util.function.Function<TerminalSession, CompletionStage<Decision>> next) {
        DialectProfile dialect = exchange.dialect();
        if (signOns == null) {
            metrics.macFailure(dialect.name());
            return done(Decision.of(dialect.macFailureCode(), type.tag()));
        }
        return signOns.newerThan(terminal.id(), held.generation())
                .exceptionally(failure -> Optional.empty())
                .thenComposeAsync(newer -> {
                    if (newer.isPresent()) {
                        return next.apply(newer.get());
                    }
                    metrics.macFailure(dialect.name());
                    return done(Decision.of(dialect.macFailureCode(), type.tag()));
                }, exchange.channel().eventLoop());
    }

    private CompletionStage<Decision> financial(Exchange exchange, Terminal terminal, TransactionType type) {
        return withSession(exchange, terminal, type, session -> financial(exchange, terminal, type, session));
    }

    private CompletionStage<Decision> financial(Exchange exchange, Terminal terminal, TransactionType type, TerminalSession session) {
        IsoMessageView request = exchange.request();
        DialectProfile dialect = exchange.dialect();
        Optional<Merchant> merchant = directory.merchant(terminal.merchantId());
        if (merchant.isEmpty()) {
            return done(Decision.of(dialect.unknownTerminalCode(), type.tag()));
        }
        CharSequence track = CardData.track(request, dialect.cup(), hsm, session.dataKey());
        String pan = CardData.pan(request, track);
        String expiry = CardData.expiry(request, track);
        long amount = request.has(4) ? request.amountMinor() : -1;
        String currency = request.has(49) ? request.getString(49) : null;
        RequestFacts facts = new RequestFacts(type, request::has, pan, expiry, amount, currency, dialect.cup(),
                request.has(3) ? request.getString(3) : null);
        Optional<String> invalid = validator.check(facts, Set.of(merchant.get().currency()), YearMonth.now(clock.withZone(businessZone)));
        if (invalid.isPresent()) {
            return done(Decision.of(invalid.get(), type.tag()));
        }
        String cardConflict = CardData.conflict(request, track);
        if (cardConflict != null) {
            // two cards in one request (field 2 and track 2 disagree): never authorize either
            return done(Decision.of(cardConflict, type.tag()));
        }
        byte[] iccData;
        try {
            iccData = IccData.read(request);
        } catch (TlvException e) {
            // chip data the issuer could not read either: a format error, like any malformed field
            // (the exception names tag path and offset only, never the bytes, which may be card data)
            metrics.malformedIccData(dialect.name());
            LOG.info("terminal {}: malformed field 55: {}", terminal.id(), e.getMessage());
            return done(Decision.of(ResponseCodes.FORMAT_ERROR, type.tag()));
        }
        if (chipContradictsRequest(request, terminal, type, iccData, amount, currency)) {
            return done(Decision.of(ResponseCodes.FORMAT_ERROR, type.tag()));
        }
        MacAlgorithm macAlgorithm = dialect.mac();
        if (singleLengthOnAnX919Port(dialect, terminal, session)) {
            return done(Decision.of(dialect.signOnRequiredCode(), type.tag()));
        }
        if (!macVerifies(exchange, session, macAlgorithm)) {
            return withNewerSession(exchange, terminal, type, session, newer -> financial(exchange, terminal, type, newer));
        }
        if (!sessions.counted(session)) {
            return done(Decision.of(dialect.signOnRequiredCode(), type.tag()));
        }
        MacSigner signer = (data, offset, length) -> hsm.generateMac(session.macKey(), macAlgorithm, data, offset, length);
        if (type == TransactionType.REVERSAL && PartialReversal.requested(request)) {
            // done in full it would credit the card for the part the terminal kept (the merchant
            // handed that over), done as asked it needs a journal and clearing of replacement
            // amounts the switch does not keep: refused, the sale stands; the terminal reverses in
            // full and sells the part again (docs/transactions.md)
            LOG.info("terminal {}: reversal STAN {} names a replacement amount (field 95): partial reversals are refused 12",
                    terminal.id(), request.getString(11));
            // MACed, as every answer to a request whose MAC verified: the terminal can trust the refusal
            return done(new Decision(ResponseCodes.INVALID_TRANSACTION, Map.of(), signer, type.tag(), "none"));
        }
        Authorization authorization = new Authorization(type, request.mtiString(), terminal, merchant.get(), session,
                request.getString(11), localDateTime(request), request.has(3) ? request.getString(3) : "000000",
                pan, expiry, Math.max(amount, 0), currency, request.has(52) ? request.getBytes(52) : null,
                request.has(22) ? request.getString(22) : null,
                request.has(37) ? request.getString(37) : null, request.has(38) ? request.getString(38) : null,
                request.has(90) ? request.getString(90) : null, request.has(39) ? request.getString(39) : null,
                dialect.cup() && request.has(61) ? request.getString(61) : null,
                dialect.cup() && request.has(CUP_FIELD_60) ? request.subfield(CUP_FIELD_60, 1).toString() : null,
                iccData, track == null ? null : track.toString(), CardData.pinWithoutPan(request, dialect.cup()));
        Optional<String> organisation = dialect.cup() ? CardOrganisation.code(pan) : Optional.empty();
        return authorizer.authorize(authorization).handle((result, failure) -> failure != null
                ? undecided(authorization, signer, failure)
                : new Decision(result.responseCode(), withCardOrganisation(result.added(), organisation), signer, type.tag(),
                        result.issuer(), result.transactionTime(), result.settlementDate(), result.delivered()));
    }

    /**
     * A card request that failed before it was decided (the journal database away while its original
     * or limits were read: nothing was journaled for it, or what was is settled by the journal's own
     * recovery): 96, MACed as every answer after the MAC check, and counted under its own type, not
     * as an unknown request that crashed the listener.
     */
    private static Decision undecided(Authorization a, MacSigner signer, Throwable failure) {
        LOG.warn("terminal {} STAN {} ({}): answered 96, the request could not be decided: {}", a.terminal().id(), a.stan(),
                a.type().tag(), IssuerAuthorizer.rootCause(failure).toString());
        return new Decision(ResponseCodes.SYSTEM_ERROR, Map.of(), signer, a.type().tag(), "none");
    }

    /**
     * Whether the chip data of a purchase or pre-authorization names another amount (9F02) than
     * field 4, or another currency (5F2A) than field 49 ({@link IccCrossCheck}): the card's
     * cryptogram covers the chip's figures, so the message's would be charged unsigned. Logged with
     * the tag and field only: no value of field 55 (it may hold card data), nor the amounts.
     */
    private static boolean chipContradictsRequest(IsoMessageView request, Terminal terminal, TransactionType type, byte[] iccData,
                                                  long amount, String currency) {
        if (iccData == null || !IccCrossCheck.compares(type)) {
            return false;
        }
        Optional<IccCrossCheck.Contradiction> contradiction = IccCrossCheck.contradiction(iccData, amount, currency);
        contradiction.ifPresent(c -> LOG.info("terminal {}: {} STAN {}: field 55 tag {} contradicts field {}: format error (30)",
                terminal.id(), type.tag(), request.getString(11), c.tagName(), c.field()));
        return contradiction.isPresent();
    }

    /** A UnionPay answer names the card's organisation in 63.1 (cup-pos.md 4.2), which its terminal prints on the slip. */
    private static Map<Integer, Object> withCardOrganisation(Map<Integer, Object> added, Optional<String> organisation) {
        if (organisation.isEmpty() || added.containsKey(CUP_FIELD_63)) {
            return added;
        }
        Map<Integer, Object> withIt = new HashMap<>(added);
        withIt.put(CUP_FIELD_63, organisation.get());
        return withIt;
    }

    /**
     * The UnionPay start-up downloads: after sign-on (77 before, as for a financial request), no
     * MAC either way (cup-pos.md 9.3: 0800 and 0820 carry none, and public hosts answer these
     * without one); field 62 is the work of {@link EmvDownloads}.
     */
    private CompletionStage<Decision> emvDownload(Exchange exchange, Terminal terminal, TransactionType type) {
        if (!exchange.dialect().cup()) {
            return done(Decision.of(ResponseCodes.INVALID_TRANSACTION, type.tag()));
        }
        return withSession(exchange, terminal, type, session -> {
            if (!sessions.counted(session)) {
                return done(Decision.of(exchange.dialect().signOnRequiredCode(), type.tag()));
            }
            Optional<Merchant> merchant = directory.merchant(terminal.merchantId());
            if (merchant.isEmpty()) {
                return done(Decision.of(exchange.dialect().unknownTerminalCode(), type.tag()));
            }
            return done(emvDownloads.answer(type, exchange.request(), terminal, merchant.get()));
        });
    }

    /**
     * A UnionPay script result notification (0620, 60.3 951): the chip's report (tag DF31) of the
     * issuer scripts an answer carried to it. An advice that moves no money: acknowledged 00, so
     * that the terminal stops sending it again, and counted by result. No MAC either way, as public
     * hosts do (cup-pos.md 9.3), and no session needed: it changes nothing a forger could use. It
     * is not forwarded to the issuer (docs/terminal-protocol.md).
     */
    private CompletionStage<Decision> scriptResult(Exchange exchange, TransactionType type) {
        if (!exchange.dialect().cup()) {
            return done(Decision.of(ResponseCodes.INVALID_TRANSACTION, type.tag()));
        }
        String result;
        try {
            result = IccData.scriptResult(IccData.read(exchange.request()));
        } catch (TlvException e) {
            // acknowledged all the same: refused, the terminal would send it again for ever, and it moves nothing
            metrics.malformedIccData(exchange.dialect().name());
            result = "unreadable";
        }
        metrics.scriptResult(result);
        return done(Decision.of(ResponseCodes.APPROVED, type.tag()));
    }

    /** Settlement and batch upload: signed on and MACed like a financial request, then the batch's own work. */
    private CompletionStage<Decision> batch(Exchange exchange, Terminal terminal, TransactionType type) {
        return withSession(exchange, terminal, type, session -> batch(exchange, terminal, type, session));
    }

    private CompletionStage<Decision> batch(Exchange exchange, Terminal terminal, TransactionType type, TerminalSession session) {
        DialectProfile dialect = exchange.dialect();
        MacAlgorithm macAlgorithm = dialect.mac();
        if (singleLengthOnAnX919Port(dialect, terminal, session)) {
            return done(Decision.of(dialect.signOnRequiredCode(), type.tag()));
        }
        if (!macVerifies(exchange, session, macAlgorithm)) {
            return withNewerSession(exchange, terminal, type, session, newer -> batch(exchange, terminal, type, newer));
        }
        if (!sessions.counted(session)) {
            return done(Decision.of(dialect.signOnRequiredCode(), type.tag()));
        }
        MacSigner signer = (data, offset, length) -> hsm.generateMac(session.macKey(), macAlgorithm, data, offset, length);
        return batches.handle(exchange.request(), dialect.cup(), terminal, type, signer);
    }

    /**
     * The MAC is field 64, or field 128 in a message with a secondary bitmap (a reversal with
     * field 90); the MAC block is the body from the MTI up to the MAC field (cup-pos.md §9.3).
     * The MAC must be the last field: a MAC in 64 followed by fields 65-127 would leave those
     * fields (a reversal's original, field 90) unauthenticated, so it fails.
     */
    private boolean macVerifies(Exchange exchange, TerminalSession session, MacAlgorithm algorithm) {
        IsoMessageView request = exchange.request();
        int macField = request.has(SECONDARY_MAC_FIELD) ? SECONDARY_MAC_FIELD : MAC_FIELD;
        if (!request.has(macField) || request.fieldAt(request.fieldCount() - 1) != macField) {
            return false;
        }
        byte[] body = io.netty.buffer.ByteBufUtil.getBytes(exchange.body());
        return hsm.verifyMac(session.macKey(), algorithm, body, 0, request.contentOffset(macField), request.getBytes(macField));
    }

    /**
     * Whether a UnionPay terminal comes to an X9.19 port under the keys of a single-length sign-on
     * (NMIC 001, which the port refuses) taken at another port of the deployment: X9.19 under them
     * is a single-DES CBC-MAC, and a sign-on carries no MAC, so anyone on the line could have
     * rewritten the terminal's 003 to 001 at an ECB port (an outside judge did). Told to sign on
     * again (77), here.
     */
    private boolean singleLengthOnAnX919Port(DialectProfile dialect, Terminal terminal, TerminalSession session) {
        if (!dialect.cup() || dialect.mac() != MacAlgorithm.ANSI_X9_19 || !hsm.singleLength(session.macKey())) {
            return false;
        }
        LOG.info("terminal {}: keys of a single-length sign-on refused on an X9.19 port: told to sign on again", terminal.id());
        return true;
    }

    /**
     * A sign-on returns the terminal's open batch number, kept in the database: UnionPay in 60.2,
     * ISO 1987 as the six digits of field 60 (the batch its 0500 names there). Without it a 1987
     * terminal that starts again at batch 1 could never close a batch once batch 1 had closed.
     */
    private CompletionStage<Decision> signOn(IsoMessageView request, DialectProfile dialect, Terminal terminal) {
        String nmic = dialect.cup() && request.has(CUP_FIELD_60) ? request.subfield(CUP_FIELD_60, 3).toString() : "003";
        if (SM4_SIGN_ON.equals(nmic)) {
            // an SM4 (国密) sign-on wants 60 bytes of SM4 work keys (cup-pos.md 7.2); the switch
            // issues TDES keys only, and answering 00 with them would leave the terminal MACing
            // and enciphering under keys it misreads. Refused, and its session (if any) left as it
            // was. Why 12: cup-pos.md records no code a UnionPay host answers an unsupported key
            // algorithm with; its 40 is the card issuer's "transaction type not supported", and 12
            // is what the switch answers every other UnionPay request it does not serve.
            LOG.info("terminal {}: SM4 sign-on (60.3 006) refused 12: SM4 work keys are not supported", terminal.id());
            return done(Decision.of(ResponseCodes.INVALID_TRANSACTION, TransactionType.SIGN_ON.tag()));
        }
        if (SINGLE_LENGTH_SIGN_ON.equals(nmic) && dialect.mac() != MacAlgorithm.CUP_ECB) {
            // single-length keys under X9.19 make a single-DES CBC-MAC (a 56-bit key): a port set to
            // X9.19 for its strength does not hand them out
            LOG.info("terminal {}: single-length sign-on (60.3 001) refused 12 on an X9.19 port", terminal.id());
            return done(Decision.of(ResponseCodes.INVALID_TRANSACTION, TransactionType.SIGN_ON.tag()));
        }
        if (batches == null && signOns == null) {
            return done(signOn(nmic, dialect, terminal, null, 0).answer());
        }
        CompletionStage<String> batch = batches == null ? CompletableFuture.completedFuture(null) : batches.openBatch(terminal.id());
        // recorded before the keys are issued: every node ends the sessions of older generations,
        // this one's included; without the record the sign-on is refused like one without its batch
        return batch.thenCompose(open -> (signOns == null ? CompletableFuture.completedFuture(0L) : signOns.record(terminal.id()))
                        .thenCompose(generation -> kept(signOn(nmic, dialect, terminal, open, generation))))
                .exceptionally(failure -> Decision.of(ResponseCodes.SYSTEM_ERROR, TransactionType.SIGN_ON.tag()));
    }

    /**
     * The sign-on's answer once its keys are kept in the database for the other nodes and for this
     * one started again ({@link SignOnsAcrossNodes#keep}). Not kept (the database failed since the
     * sign-on was recorded), the keys still work here: the terminal is answered all the same.
     */
    private CompletionStage<Decision> kept(Issued issued) {
        if (signOns == null) {
            return done(issued.answer());
        }
        return signOns.keep(issued.session()).handle((stored, failure) -> {
            if (failure != null) {
                LOG.warn("terminal {}: the keys of its sign-on could not be kept; they work at this node only: {}",
                        issued.session().terminalId(), failure.toString());
            }
            return issued.answer();
        });
    }

    /** A sign-on's session and its answer. */
    private record Issued(TerminalSession session, Decision answer) {
    }

    private Issued signOn(String nmic, DialectProfile dialect, Terminal terminal, String batch, long generation) {
        SignOnService.Issued issued = signOn.signOn(terminal, dialect.cup(), "004".equals(nmic), dialect.cup() && "001".equals(nmic), batch,
                generation);
        Map<Integer, Object> added = new HashMap<>();
        added.put(KEYS_FIELD, issued.keyField());
        if (dialect.cup()) {
            added.put(CUP_FIELD_60, "00" + issued.session().batchNumber() + nmic);
        } else if (batch != null) {
            added.put(CUP_FIELD_60, batch);
        }
        return new Issued(issued.session(), new Decision(ResponseCodes.APPROVED, added, null, TransactionType.SIGN_ON.tag(), "none"));
    }

    /**
     * Why a request names no transaction the switch knows: the field that names it is missing (an
     * ISO 0100/0200 without its processing code, field 3; a UnionPay request without field 60,
     * whose 60.1 and 60.3 name it, or with one that ends before 60.3) is a format error, 30;
     * present but naming nothing known is 12.
     */
    private static String unclassifiedCode(IsoMessageView request, DialectProfile dialect) {
        if (dialect.cup()) {
            return UnionPayField60.complete(request) ? ResponseCodes.INVALID_TRANSACTION : ResponseCodes.FORMAT_ERROR;
        }
        String mti = request.mtiString();
        boolean namedByProcessingCode = mti.startsWith("010") || mti.startsWith("020");
        return namedByProcessingCode && !request.has(3) ? ResponseCodes.FORMAT_ERROR : ResponseCodes.INVALID_TRANSACTION;
    }

    private static Optional<TransactionType> classify(IsoMessageView request, DialectProfile dialect) {
        String processingCode = request.has(3) ? request.getString(3) : null;
        if (dialect.cup()) {
            // every UnionPay message carries 60.1 to 60.3 (cup-pos.md 4.1): without them it names
            // no transaction (60.1 with 60.3) nor batch (60.2), whatever 60.1 says
            if (!UnionPayField60.complete(request)) {
                return Optional.empty();
            }
            String messageCode = request.subfield(CUP_FIELD_60, 1).toString();
            String nmic = request.subfield(CUP_FIELD_60, 3).toString();
            return TransactionClassifier.classify(request.mtiString(), processingCode, nmic, messageCode);
        }
        String networkCode = request.has(70) ? request.getString(70) : null;
        return TransactionClassifier.classify(request.mtiString(), processingCode, networkCode, null);
    }

    /** Field 42 (ans 15, space-padded on the right) names the merchant the terminal is registered to. */
    private static boolean namesItsMerchant(IsoMessageView request, Terminal terminal) {
        return request.getString(42).stripTrailing().equals(terminal.merchantId());
    }

    private static String localDateTime(IsoMessageView request) {
        if (request.has(13) && request.has(12)) {
            return request.getString(13) + request.getString(12);
        }
        return request.has(7) ? request.getString(7) : "";
    }

    private static CompletionStage<Decision> done(Decision decision) {
        return CompletableFuture.completedFuture(decision);
    }
}
