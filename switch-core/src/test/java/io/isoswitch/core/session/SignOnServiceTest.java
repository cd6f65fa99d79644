package io.isoswitch.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.core.terminal.Terminal;
import io.isoswitch.security.Hsm;
import io.isoswitch.security.KeyAlgorithm;
import io.isoswitch.security.KeyKind;
import io.isoswitch.security.LocalMasterKey;
import io.isoswitch.security.MacAlgorithm;
import io.isoswitch.security.PinBlockFormat;
import io.isoswitch.security.SecureKey;
import io.isoswitch.security.SoftwareHsm;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class SignOnServiceTest {
    private final Hsm hsm = new SoftwareHsm(LocalMasterKey.generate(new SecureRandom()));
    private final SecureKey tmk = hsm.generateKey(KeyKind.TMK, KeyAlgorithm.TDES_2KEY);
    private final Terminal terminal = new Terminal("TERM0001", "MERCHANT0000001", "cup-pos", tmk.keyBlock(), null, true);
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-26T01:00:00Z"), ZoneOffset.UTC);
    private final TerminalSessions sessions = new TerminalSessions(3, Duration.ofHours(1), clock);
    private final SignOnService signOn = new SignOnService(hsm, sessions, clock);

    @Test
    void theTerminalCanImportItsKeysUnderItsTmkAndTheyWorkWithTheSwitch() {
        SignOnService.Issued issued = signOn.signOn(terminal, true, true, null);
        byte[] field62 = (byte[]) issued.keyField();
        assertThat(field62).hasSize(60);
        // the terminal's side: import each key under the TMK, checking its check value
        SecureKey tpk = hsm.importKey(KeyKind.TPK, KeyAlgorithm.TDES_2KEY, Arrays.copyOfRange(field62, 0, 16), tmk,
                Arrays.copyOfRange(field62, 16, 20));
        SecureKey tak = hsm.importKey(KeyKind.TAK, KeyAlgorithm.TDES_2KEY, Arrays.copyOfRange(field62, 20, 36), tmk,
                Arrays.copyOfRange(field62, 36, 40));
        assertThat(tpk.kcv()).isEqualTo(issued.session().pinKey().kcv());
        byte[] data = "0200 a MAC block".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] mac = hsm.generateMac(tak, MacAlgorithm.CUP_ECB, data, 0, data.length);
        assertThat(hsm.verifyMac(issued.session().macKey(), MacAlgorithm.CUP_ECB, data, 0, data.length, mac)).isTrue();
        byte[] pinBlock = hsm.encryptPin(tpk, "1234", "4111111111111111", PinBlockFormat.ISO_0);
        SecureKey zpk = hsm.generateKey(KeyKind.ZPK, KeyAlgorithm.TDES_2KEY);
        byte[] translated = hsm.translatePin(issued.session().pinKey(), pinBlock, PinBlockFormat.ISO_0, "4111111111111111",
                zpk, PinBlockFormat.ISO_0);
        assertThat(translated).hasSize(8);
    }

    @Test
    void isoTerminalsGetTheSameLayoutAsHexText() {
        SignOnService.Issued issued = signOn.signOn(terminal, false, false, null);
        String field62 = (String) issued.keyField();
        assertThat(field62).hasSize(80).matches("[0-9A-F]{80}");
        assertThat(HexFormat.of().parseHex(field62)).hasSize(40);
    }

    @Test
    void everySignOnIssuesNewKeysAndTheOldOnesStopWorking() {
        TerminalSession first = signOn.signOn(terminal, true, false, null).session();
        TerminalSession second = signOn.signOn(terminal, true, false, first.batchNumber()).session();
        assertThat(second.macKey().kcv()).isNotEqualTo(first.macKey().kcv());
        assertThat(sessions.use("TERM0001")).containsSame(second);
    }

    @Test
    void keysRetireAfterTheirUsesAndTheTerminalMustSignOnAgain() {
        signOn.signOn(terminal, true, false, null);
        assertThat(sessions.use("TERM0001")).isPresent();
        assertThat(sessions.use("TERM0001")).isPresent();
        assertThat(sessions.use("TERM0001")).isPresent();
        assertThat(sessions.use("TERM0001")).isEmpty();
        assertThat(sessions.use("TERM0001")).isEmpty();
    }

    @Test
    void keysRetireWithAgeAndSignOffEndsTheSession() {
        TerminalSessions aging = new TerminalSessions(100, Duration.ofMinutes(10),
                Clock.offset(clock, Duration.ofMinutes(11)));
        aging.signedOn(new TerminalSession("TERM0002", hsm.generateKey(KeyKind.TPK, KeyAlgorithm.TDES_2KEY),
                hsm.generateKey(KeyKind.TAK, KeyAlgorithm.TDES_2KEY), null, clock.instant(), "000001"));
        assertThat(aging.use("TERM0002")).isEmpty();
        signOn.signOn(terminal, true, false, null);
        sessions.signedOff("TERM0001");
        assertThat(sessions.use("TERM0001")).isEmpty();
    }

    @Test
    void aSessionsDescriptionShowsCheckValuesNeverKeys() {
        TerminalSession session = signOn.signOn(terminal, true, false, null).session();
        assertThat(session.toString()).contains(session.macKey().kcv()).doesNotContain(session.macKey().keyBlock());
    }
}
