package io.isoswitch.sim.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.security.KeyAlgorithm;
import io.isoswitch.security.KeyKind;
import io.isoswitch.security.LocalMasterKey;
import io.isoswitch.security.PinBlockFormat;
import io.isoswitch.security.SecureKey;
import io.isoswitch.security.SoftwareHsm;
import io.isoswitch.sim.terminal.CardData;
import io.isoswitch.sim.terminal.TerminalConfig;
import io.isoswitch.sim.terminal.TerminalDialect;
import io.isoswitch.sim.terminal.TerminalMessages;
import io.isoswitch.sim.terminal.TerminalOperation;
import io.isoswitch.sim.wire.MessageMacs;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Card transactions' templates are shared by the terminals of a run: what each terminal sends
 * from a template another terminal built must be byte for byte what it would have built itself
 * (its id in field 41, its own PIN block under its TPK in field 52).
 */
class RequestTemplatesTest {
    private static final SoftwareHsm HSM = new SoftwareHsm(LocalMasterKey.generate(new SecureRandom()));
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T12:34:56Z"), ZoneOffset.UTC);
    private static final long AMOUNT = 1_234;
    private static final List<CardData> CARDS = List.of(
            new CardData("6222020000000001", YearMonth.of(2030, 11), "101", "123", "1234"),
            new CardData("4761739001010010", YearMonth.of(2029, 2), "201", "456", "987654"),
            new CardData("6222020000000000019", YearMonth.of(2031, 1), "101", "789", ""));

    private static TerminalConfig terminal(TerminalDialect dialect, String id) {
        SecureKey tmk = HSM.generateKey(KeyKind.TMK, KeyAlgorithm.TDES_2KEY);
        return TerminalConfig.of("127.0.0.1", 1, dialect, id, "MERCHANT0000001", 156, HSM, tmk).withClock(CLOCK);
    }

    @ParameterizedTest
    @EnumSource(TerminalDialect.class)
    void aSharedTemplateSendsWhatEachTerminalWouldBuildItself(TerminalDialect dialect) {
        RequestTemplates.Shared shared = new RequestTemplates.Shared(CARDS, AMOUNT);
        TerminalConfig first = terminal(dialect, "LOAD0001");
        TerminalConfig second = terminal(dialect, "TERM0002");
        SecureKey firstTpk = HSM.generateKey(KeyKind.TPK, KeyAlgorithm.TDES_2KEY);
        SecureKey secondTpk = HSM.generateKey(KeyKind.TPK, KeyAlgorithm.TDES_2KEY);
        RequestTemplates firstTemplates = new RequestTemplates(first, shared);
        RequestTemplates secondTemplates = new RequestTemplates(second, shared);
        for (LoadOperation op : List.of(LoadOperation.PURCHASE, LoadOperation.BALANCE, LoadOperation.PREAUTH,
                LoadOperation.REFUND)) {
            for (int card = 0; card < CARDS.size(); card++) {
                // the first terminal builds the shared template; the second only stamps it
                RequestTemplates.Template built = firstTemplates.financial(op, card, "000001");
                RequestTemplates.Template reused = secondTemplates.financial(op, card, "000001");
                assertThat(reused).isSameAs(built);
                assertThat(firstTemplates.body(built, card, firstTpk))
                        .isEqualTo(ownBuild(first, firstTpk, op, CARDS.get(card)));
                assertThat(secondTemplates.body(reused, card, secondTpk))
                        .as("%s card %d on the second terminal", op, card)
                        .isEqualTo(ownBuild(second, secondTpk, op, CARDS.get(card)));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TerminalDialect.class)
    void templatesOfAnotherBatchAreTheirOwn(TerminalDialect dialect) {
        RequestTemplates.Shared shared = new RequestTemplates.Shared(CARDS, AMOUNT);
        TerminalConfig config = terminal(dialect, "LOAD0001");
        SecureKey tpk = HSM.generateKey(KeyKind.TPK, KeyAlgorithm.TDES_2KEY);
        RequestTemplates templates = new RequestTemplates(config, shared);
        RequestTemplates.Template first = templates.financial(LoadOperation.PURCHASE, 0, "000001");
        RequestTemplates.Template second = templates.financial(LoadOperation.PURCHASE, 0, "000002");
        assertThat(second).isNotSameAs(first);
        assertThat(templates.body(second, 0, tpk)).isEqualTo(ownBuild(config, tpk, LoadOperation.PURCHASE, "000002",
                CARDS.get(0)));
    }

    /** What a terminal built for itself before templates were shared (RequestTemplates of 2026-11-26 morning). */
    private static byte[] ownBuild(TerminalConfig config, SecureKey tpk, LoadOperation op, CardData card) {
        return ownBuild(config, tpk, op, "000001", card);
    }

    private static byte[] ownBuild(TerminalConfig config, SecureKey tpk, LoadOperation op, String batch, CardData card) {
        ZonedDateTime now = ZonedDateTime.now(CLOCK);
        TerminalMessages.Original original = null;
        if (op == LoadOperation.REFUND) {
            card = card.withPin("");
            original = new TerminalMessages.Original(TerminalOperation.PURCHASE, "0200", 0,
                    now.format(DateTimeFormatter.ofPattern("MMddHHmmss", Locale.ROOT)), batch, "000000000000", "",
                    AMOUNT, card);
        }
        IsoMessage request = new TerminalMessages(config).financial(op.terminalOperation(), 0, card,
                op == LoadOperation.BALANCE ? 0 : AMOUNT, original, batch, now);
        if (!card.pin().isEmpty()) {
            request.set(52, HSM.encryptPin(tpk, card.pin(), card.pan(), PinBlockFormat.ISO_0));
        }
        request.set(MessageMacs.macField(request), new byte[8]);
        return request.encode(config.dialect().spec());
    }
}
