package io.isoswitch.sim.load;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.codec.IsoMessageView;
import io.isoswitch.codec.spec.ContentEncoding;
import io.isoswitch.codec.spec.MessageSpec;
import io.isoswitch.security.PinBlockFormat;
import io.isoswitch.security.SecureKey;
import io.isoswitch.sim.terminal.CardData;
import io.isoswitch.sim.terminal.TerminalConfig;
import io.isoswitch.sim.terminal.TerminalMessages;
import io.isoswitch.sim.terminal.TerminalOperation;
import io.isoswitch.sim.wire.MessageMacs;
import io.netty.buffer.Unpooled;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A terminal's requests, each kind built once with the terminal simulator's messages and then
 * re-stamped per send: a new STAN written in place and, for card transactions, a new MAC over the
 * MAC block. What stays from the template (dates, amount, card) is what a terminal repeating itself
 * would send; the STAN alone keeps the requests apart.
 *
 * <p>A card transaction's template is the same for every terminal of the run but for two fixed
 * fields: the terminal id (41) and the PIN block (52, under the terminal's own TPK). So it is built
 * once per run in a {@link Shared} book (per operation, card and batch) and each terminal stamps its
 * id and its PIN block into a copy. Built per terminal instead, the 4 operations x 128 cards x 32
 * terminals of the e2e bench were 16,384 full builds (message, encode, parse, PIN block): a third
 * of the requests of a 20-second run paid one, and they were most of the generator's Java time.
 */
final class RequestTemplates {
    /**
     * Encoded body; where field 11's content starts; where the 8-byte MAC goes, or -1; where a
     * refund's field 37 (the original's retrieval reference number, 12 characters) goes, or -1;
     * whether the dialect writes the MAC as hex text (iso87ascii) rather than raw bytes.
     */
    record Template(byte[] body, int stanOffset, int macOffset, int rrnOffset, boolean macAsHex, int terminalIdOffset,
            int pinOffset) {
    }

    /**
     * The card transactions' templates of one run, shared by its terminals (of one dialect, merchant
     * and currency): built by the first terminal that needs one with its field 41 and a zero PIN
     * block, which {@link #body} overwrites. Event loops read it without locks; two of them building
     * the same template at once keep the first one stored.
     */
    static final class Shared {
        private final List<CardData> cards;
        private final long amountMinor;
        private final ConcurrentHashMap<String, AtomicReferenceArray<Template>> byBatch = new ConcurrentHashMap<>();

        Shared(List<CardData> cards, long amountMinor) {
            this.cards = List.copyOf(cards);
            this.amountMinor = amountMinor;
        }

        private AtomicReferenceArray<Template> of(String batch) {
            AtomicReferenceArray<Template> templates = byBatch.get(batch);
            if (templates == null) {
                templates = new AtomicReferenceArray<>(LoadOperation.values().length * Math.max(1, cards.size()));
                AtomicReferenceArray<Template> raced = byBatch.putIfAbsent(batch, templates);
                templates = raced == null ? templates : raced;
            }
            return templates;
        }
    }

    /** Field 37's placeholder in a refund's template, overwritten per send by {@link #stampRrn}. */
    private static final String RRN_PLACEHOLDER = "000000000000";

    private static final DateTimeFormatter TRANSMISSION = DateTimeFormatter.ofPattern("MMddHHmmss", Locale.ROOT);
    private static final Charset EBCDIC = Charset.forName("IBM1047");

    private final TerminalConfig config;
    private final TerminalMessages messages;
    private final MessageSpec spec;
    private final ContentEncoding stanEncoding;
    private final ContentEncoding rrnEncoding;
    private final Shared shared;
    private final List<CardData> cards;
    /** This terminal's field 41 content as encoded, and its PIN block field content per card (built when first sent). */
    private final byte[] terminalId;
    private final byte[][] pinFields;
    private String batchOfTemplates;
    private AtomicReferenceArray<Template> templates;
    private Template echo;

    RequestTemplates(TerminalConfig config, Shared shared) {
        this.config = config;
        this.messages = new TerminalMessages(config);
        this.spec = config.dialect().spec();
        this.stanEncoding = spec.field(11).encoding();
        this.rrnEncoding = spec.field(37).encoding();
        this.shared = shared;
        this.cards = shared.cards;
        this.terminalId = encodedContent(41, config.terminalId());
        this.pinFields = new byte[cards.size()][];
    }

    /** The sign-on request (not a template: sent once). */
    byte[] signOn(int stan, String batch) {
        return messages.network("001", stan, batch, now()).encode(spec);
    }

    /** The echo test, without MAC. */
    Template echo() {
        if (echo == null) {
            echo = template(messages.network("301", 0, "000001", now()), false);
        }
        return echo;
    }

    /**
     * The shared template of a card transaction with card {@code cardIndex}; {@link #body} makes
     * this terminal's copy of it.
     */
    Template financial(LoadOperation op, int cardIndex, String batch) {
        if (!batch.equals(batchOfTemplates)) {
            templates = shared.of(batch);
            batchOfTemplates = batch;
        }
        int slot = op.ordinal() * cards.size() + cardIndex;
        Template template = templates.get(slot);
        if (template == null) {
            template = build(op, cardIndex, batch);
            if (!templates.compareAndSet(slot, null, template)) {
                template = templates.get(slot);
            }
        }
        return template;
    }

    /**
     * A copy of {@code template}'s body for this terminal: its id in field 41 and, when the template
     * has a PIN block, card {@code cardIndex}'s PIN under {@code tpk} in field 52 (encrypted once per card).
     */
    byte[] body(Template template, int cardIndex, SecureKey tpk) {
        byte[] body = template.body().clone();
        if (template.terminalIdOffset() >= 0) {
            System.arraycopy(terminalId, 0, body, template.terminalIdOffset(), terminalId.length);
        }
        if (template.pinOffset() >= 0) {
            byte[] pin = pinFields[cardIndex];
            if (pin == null) {
                CardData card = cards.get(cardIndex);
                pin = encodedContent(52, config.hsm().encryptPin(tpk, card.pin(), card.pan(), PinBlockFormat.ISO_0));
                pinFields[cardIndex] = pin;
            }
            System.arraycopy(pin, 0, body, template.pinOffset(), pin.length);
        }
        return body;
    }

    /** Builds the template as this terminal would, with a zero PIN block (its slot), to be shared. */
    private Template build(LoadOperation op, int cardIndex, String batch) {
        CardData card = cards.get(cardIndex);
        TerminalMessages.Original original = null;
        if (op == LoadOperation.REFUND) {
            card = card.withPin("");
            // the switch refunds only against a named original (field 37): the send names an
            // approved purchase of this connection; what else identifies it here is the template's
            ZonedDateTime now = now();
            original = new TerminalMessages.Original(TerminalOperation.PURCHASE, "0200", 0,
                    now.format(TRANSMISSION), batch, RRN_PLACEHOLDER, "", shared.amountMinor, card);
        }
        IsoMessage request = messages.financial(op.terminalOperation(), 0, card,
                op == LoadOperation.BALANCE ? 0 : shared.amountMinor, original, batch, now());
        if (!card.pin().isEmpty()) {
            request.set(52, new byte[8]);
        }
        return template(request, true);
    }

    /** The encoded content of fixed-length field {@code field} holding {@code value} (String or byte[]), as the codec writes it. */
    private byte[] encodedContent(int field, Object value) {
        IsoMessage message = new IsoMessage("0800");
        if (value instanceof byte[] bytes) {
            message.set(field, bytes);
        } else {
            message.set(field, (String) value);
        }
        byte[] encoded = message.encode(spec);
        int offset = ThreadViews.of(spec).wrap(Unpooled.wrappedBuffer(encoded)).contentOffset(field);
        return Arrays.copyOfRange(encoded, offset, encoded.length);
    }

    int cardCount() {
        return cards.size();
    }

    private Template template(IsoMessage request, boolean mac) {
        int macField = 0;
        if (mac) {
            macField = MessageMacs.macField(request);
            request.set(macField, new byte[8]);
        }
        byte[] body = request.encode(spec);
        IsoMessageView view = ThreadViews.of(spec).wrap(Unpooled.wrappedBuffer(body));
        return new Template(body, view.contentOffset(11), mac ? view.contentOffset(macField) : -1,
                request.has(37) ? view.contentOffset(37) : -1,
                mac && spec.field(macField).encoding() == io.isoswitch.codec.spec.ContentEncoding.HEX,
                mac && request.has(41) ? view.contentOffset(41) : -1, request.has(52) ? view.contentOffset(52) : -1);
    }

    /** Writes {@code rrn} (12 characters, as the switch answered it) into field 37's content at {@code offset}. */
    void stampRrn(byte[] body, int offset, String rrn) {
        if (rrn.length() != RRN_PLACEHOLDER.length()) {
            throw new IllegalArgumentException("a retrieval reference number has 12 characters, not " + rrn.length());
        }
        byte[] bytes = rrn.getBytes(rrnEncoding == ContentEncoding.EBCDIC ? EBCDIC : StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, body, offset, bytes.length);
    }

    /** Writes {@code stan} (6 digits) into field 11's content at {@code offset}. */
    void stampStan(byte[] body, int offset, int stan) {
        if (stanEncoding == ContentEncoding.BCD) {
            body[offset] = (byte) ((stan / 100_000 % 10) << 4 | stan / 10_000 % 10);
            body[offset + 1] = (byte) ((stan / 1_000 % 10) << 4 | stan / 100 % 10);
            body[offset + 2] = (byte) ((stan / 10 % 10) << 4 | stan % 10);
            return;
        }
        int zero = stanEncoding == ContentEncoding.EBCDIC ? 0xF0 : '0';
        for (int i = 5; i >= 0; i--, stan /= 10) {
            body[offset + i] = (byte) (zero + stan % 10);
        }
    }

    private ZonedDateTime now() {
        return ZonedDateTime.now(config.clock());
    }
}
