package io.isoswitch.sim.load;

import io.isoswitch.sim.terminal.CardData;
import io.isoswitch.sim.terminal.TerminalDialect;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.List;
import java.util.Objects;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * What the load generator's terminals must know of the switch they drive: the merchant and
 * currency, each terminal's id, dialect and master key (in clear: test keys only), and the cards
 * with their PINs. {@code iso-switch demo} writes its world to {@code data/demo/load-world.yaml},
 * which {@code iso-switch load} reads by default.
 *
 * <pre>
 * merchantId: DEMOMERCHANT001
 * currency: 156
 * terminals:
 *   - {id: DEMO0001, dialect: iso87binary, tmk: 11112222333344441111222233334444}
 * cards:
 *   - {pan: "6222020000000001", expiry: "2030-11", serviceCode: "101", cvv: "123", pin: "1234"}
 * </pre>
 */
public record LoadWorld(String merchantId, int currency, List<Terminal> terminals, List<Card> cards) {
    private static final YAMLMapper MAPPER = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    /** A terminal known to the switch; {@code tmk} is its master key in clear hex. */
    public record Terminal(String id, String dialect, String tmk) {
        public Terminal {
            Objects.requireNonNull(id, "id");
            TerminalDialect.named(dialect);
            if (tmk == null || !tmk.matches("[0-9A-Fa-f]{32}|[0-9A-Fa-f]{48}")) {
                throw new IllegalArgumentException("tmk of terminal " + id + ": expected 32 or 48 hex digits");
            }
        }

        public TerminalDialect terminalDialect() {
            return TerminalDialect.named(dialect);
        }

        /** Never the key. */
        @Override
        public String toString() {
            return "Terminal[" + id + ", " + dialect + "]";
        }
    }

    /** A card; {@code expiry} is {@code yyyy-MM}. */
    public record Card(String pan, String expiry, String serviceCode, String cvv, String pin) {
        public Card {
            Objects.requireNonNull(pan, "pan");
            YearMonth.parse(Objects.requireNonNull(expiry, "expiry"));
        }

        public static Card of(CardData card) {
            return new Card(card.pan(), card.expiry().toString(), card.serviceCode(), card.cvv(), card.pin());
        }

        public CardData cardData() {
            return new CardData(pan, YearMonth.parse(expiry), serviceCode == null ? "101" : serviceCode,
                    cvv == null ? "000" : cvv, pin == null ? "" : pin);
        }

        /** Never card data. */
        @Override
        public String toString() {
            return "Card[" + io.isoswitch.sim.card.Pans.mask(pan) + "]";
        }
    }

    public LoadWorld {
        Objects.requireNonNull(merchantId, "merchantId");
        terminals = List.copyOf(terminals);
        cards = cards == null ? List.of() : List.copyOf(cards);
        if (terminals.isEmpty()) {
            throw new IllegalArgumentException("terminals: expected at least one");
        }
    }

    /** The terminals of {@code dialect}, in file order. */
    public List<Terminal> terminalsOf(TerminalDialect dialect) {
        return terminals.stream().filter(t -> t.terminalDialect() == dialect).toList();
    }

    public static LoadWorld read(Path file) {
        try {
            return MAPPER.readValue(Files.readString(file), LoadWorld.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the load world " + file, e);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("load world " + file + ": " + e.getOriginalMessage(), e);
        }
    }

    public void write(Path file) {
        try {
            Files.writeString(file, MAPPER.writeValueAsString(this));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the load world " + file, e);
        }
    }
}
