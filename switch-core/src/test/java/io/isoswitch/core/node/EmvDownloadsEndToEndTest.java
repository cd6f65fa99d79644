package io.isoswitch.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.codec.cup.EmvDownloadField;
import io.isoswitch.core.emv.EmvParametersFile;
import io.isoswitch.core.metrics.SwitchMetrics;
import io.isoswitch.core.testing.FreshSwitchPerTest;
import io.isoswitch.core.testing.SwitchFixture;
import io.isoswitch.sim.terminal.CardData;
import io.isoswitch.sim.terminal.PosTerminal;
import io.isoswitch.sim.terminal.StartupDownload;
import io.isoswitch.sim.terminal.TerminalConfig;
import io.isoswitch.sim.terminal.TerminalDialect;
import io.isoswitch.sim.terminal.TerminalResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import org.jpos.iso.ISOMsg;
import org.junit.jupiter.api.Test;

/**
 * A UnionPay EMV terminal's start-up through a whole switch over TCP (cup-pos.md 7.1,
 * docs/emv-downloads.md): the terminal simulator signs on, downloads its parameters, uploads its
 * status, lists and downloads every IC CA public key (each checksum checked, as a terminal does)
 * and every AID, ends both downloads, then makes a purchase. A terminal of another codec (jPOS)
 * checks the refusals: before sign-on 77, an unknown key or AID 25, a field 62 that names none 30.
 */
class EmvDownloadsEndToEndTest extends FreshSwitchPerTest {
    private static final io.isoswitch.core.testing.TerminalDialect CUP = io.isoswitch.core.testing.TerminalDialect.CUP_POS;

    @Override
    protected SwitchFixture.Options options(SwitchFixture.Options defaults) {
        Path file = dir.resolve("emv-parameters.yaml");
        try {
            Files.writeString(file, EmvParametersFile.demoText());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return defaults.withConfig(config -> config.withEmvParametersFile(file.toString()));
    }

    private PosTerminal pos(int number) {
        return PosTerminal.connect(TerminalConfig.of("127.0.0.1", fixture.port(CUP), TerminalDialect.CUP_POS,
                SwitchFixture.terminalId(CUP, number), SwitchFixture.MERCHANT, 156, fixture.hsm(), fixture.tmk())
                .withTimeout(Duration.ofSeconds(20)));
    }

    @Test
    void aUnionPayTerminalSignsOnDownloadsEveryKeyAndAidThenBuys() {
        try (PosTerminal terminal = pos(1)) {
            assertThat(terminal.signOn().responseCode()).isEqualTo("00");
            StartupDownload.Result loaded = terminal.downloadParameters();
            assertThat(loaded.complete()).as(loaded.toString()).isTrue();
            assertThat(loaded.merchantName()).isEqualTo("Shop");
            assertThat(loaded.caKeys().keySet())
                    .containsExactly("A000000333/02", "A000000333/03", "A000000333/04", "A000000333/08");
            assertThat(loaded.caKeys().get("A000000333/08").get(0xDF03))
                    .isEqualTo(HexFormat.of().parseHex("EE23B616C95C02652AD18860E48787C079E8E85A"));
            assertThat(loaded.applications().keySet())
                    .containsExactly("A000000333010101", "A000000333010102", "A000000333010103", "A000000333010106");
            assertThat(loaded.applications().get("A000000333010102").get(0xDF11)).isEqualTo(HexFormat.of().parseHex("D84000A800"));

            TerminalResult purchase = terminal.purchase(CardData.of(fixture.issuer().card(0)), 1_234);
            assertThat(purchase.responseCode()).isEqualTo("00");
        }
        assertThat(answered("ca_key_download", "00")).isEqualTo(4);
        assertThat(answered("aid_download", "00")).isEqualTo(4);
        assertThat(answered("ca_key_status_upload", "00")).isEqualTo(1);
        assertThat(answered("aid_download_end", "00")).isEqualTo(1);
        assertThat(answered("parameter_download", "00")).isEqualTo(1);
        assertThat(answered("pos_status_upload", "00")).isEqualTo(1);
    }

    @Test
    void aTerminalThatHasNotSignedOnIsToldToSignOn() {
        try (PosTerminal terminal = pos(1)) {
            StartupDownload.Result loaded = terminal.downloadParameters();
            assertThat(loaded.complete()).isFalse();
            assertThat(loaded.failedStep()).isEqualTo("360");
            assertThat(loaded.code()).isEqualTo("77");
        }
    }

    @Test
    void anUnknownKeyOrAidIs25AndAField62ThatNamesNoneIs30() throws Exception {
        try (JposCupTerminal t = new JposCupTerminal(fixture, SwitchFixture.terminalId(CUP, 2))) {
            t.connect();
            t.signOn("000001", "003");
            ISOMsg status = t.exchange(download(t, "0820", "372", EmvDownloadField.statusRequest(0)));
            assertThat(status.getString(39)).isEqualTo("00");
            assertThat(status.hasField(64)).as("management answers carry no MAC").isFalse();
            assertThat(EmvDownloadField.readStatusAnswer(status.getBytes(62)).entries()).hasSize(4);

            byte[] unknownKey = EmvDownloadField.keyRequest(HexFormat.of().parseHex("A000000333"), 0x61);
            assertThat(t.exchange(download(t, "0800", "370", unknownKey)).getString(39)).isEqualTo("25");
            byte[] unknownAid = EmvDownloadField.aidRequest(HexFormat.of().parseHex("A0000003330101FF"));
            assertThat(t.exchange(download(t, "0800", "380", unknownAid)).getString(39)).isEqualTo("25");
            byte[] noIndex = HexFormat.of().parseHex("9F0605A000000333");
            assertThat(t.exchange(download(t, "0800", "370", noIndex)).getString(39)).isEqualTo("30");
            assertThat(t.exchange(download(t, "0800", "380", null)).getString(39)).isEqualTo("30");

            ISOMsg end = t.exchange(download(t, "0800", "371", null));
            assertThat(end.getString(39)).isEqualTo("00");
        }
        assertThat(answered("ca_key_download", "25")).isEqualTo(1);
        assertThat(answered("ca_key_download", "30")).isEqualTo(1);
    }

    private int stan = 100;

    private ISOMsg download(JposCupTerminal t, String mti, String nmic, byte[] field62) throws Exception {
        ISOMsg m = new ISOMsg(mti);
        m.set(11, String.format("%06d", ++stan));
        m.set(41, t.terminalId());
        m.set(42, SwitchFixture.MERCHANT);
        m.set(60, "00" + t.batch() + nmic);
        if (field62 != null) {
            m.set(62, field62);
        }
        return m;
    }

    private double answered(String type, String code) {
        var counter = fixture.node().registry().find(SwitchMetrics.TRANSACTIONS).tag("type", type).tag("response_code", code).counter();
        return counter == null ? 0 : counter.count();
    }
}
