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
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A terminal's requests, each kind built once with the terminal simulator's messages (and its PIN
 * block under the TPK) and then re-stamped per send: a new STAN written in place and, for card
 * transactions, a new MAC over the MAC block. What stays from the template (dates, amount, card) is
 * what a terminal repeating itself would send; the STAN alone keeps the requests apart.
 */
final class RequestTemplates {
    /**
     * Encoded body; where field 11's content starts; where the 8-byte MAC goes, or -1; where a
     * refund's field 37 (the original's retrieval reference number, 12 characters) goes, or -1;
     * whether the dialect writes the MAC as hex text (iso87ascii) rather than raw bytes.
     */
    record Template(byte[] body, int stanOffset, int macOffset, int rrnOffset, boolean macAsHex) {
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
    private final List<CardData> cards;
    private final long amountMinor;
    private final Map<Long, Template> financial = new HashMap<>();
    private Template echo;

    RequestTemplates(TerminalConfig config, List<CardData> cards, long amountMinor) {
        this.config = config;
        this.messages = new TerminalMessages(config);
        this.spec = config.dialect().spec();
        this.stanEncoding = spec.field(11).encoding();
        this.rrnEncoding = spec.field(37).encoding();
        this.cards = cards;
        this.amountMinor = amountMinor;
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

    /** A card transaction with card {@code cardIndex}, its PIN under {@code tpk}, its MAC to be made under the TAK. */
    Template financial(LoadOperation op, int cardIndex, String batch, SecureKey tpk) {
        return financial.computeIfAbsent((long) op.ordinal() << 32 | cardIndex, k -> {
            CardData card = cards.get(cardIndex);
            TerminalMessages.Original original = null;
            if (op == LoadOperation.REFUND) {
                card = card.withPin("");
                // the switch refunds only against a named original (field 37): the send names an
                // approved purchase of this connection; what else identifies it here is the template's
                ZonedDateTime now = now();
                original = new TerminalMessages.Original(TerminalOperation.PURCHASE, "0200", 0,
                        now.format(TRANSMISSION), batch, RRN_PLACEHOLDER, "", amountMinor, card);
            }
            IsoMessage request = messages.financial(op.terminalOperation(), 0, card,
                    op == LoadOperation.BALANCE ? 0 : amountMinor, original, batch, now());
            if (!card.pin().isEmpty()) {
                request.set(52, config.hsm().encryptPin(tpk, card.pin(), card.pan(), PinBlockFormat.ISO_0));
            }
            return template(request, true);
        });
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
                mac && spec.field(macField).encoding() == io.isoswitch.codec.spec.ContentEncoding.HEX);
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
