package io.isoswitch.sim.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.codec.framing.Framing;
import io.isoswitch.codec.framing.FramingOptions;
import io.isoswitch.security.KeyAlgorithm;
import io.isoswitch.security.KeyKind;
import io.isoswitch.security.LocalMasterKey;
import io.isoswitch.security.SoftwareHsm;
import io.isoswitch.sim.terminal.TerminalConfig;
import io.isoswitch.sim.terminal.TerminalDialect;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * The generator's read path takes whatever a host sends: random and mutated answers never escape
 * the handler as exceptions, never close the connection, leak no buffer (the leak detector runs
 * paranoid), and each one is counted as undecodable or as matching no request.
 */
class LoadConnectionReadProperties {
    private static final TerminalDialect DIALECT = TerminalDialect.ISO87_BINARY;
    private static final SoftwareHsm HSM = new SoftwareHsm(LocalMasterKey.generate(new SecureRandom()));
    private static final byte[] ANSWER = new IsoMessage("0810").set(7, "1126120000").set(11, "000001")
            .set(39, "00").set(41, "LOAD0001").set(70, "301").encode(DIALECT.spec());

    private static Gen<byte[]> bodies() {
        return Generate.byteArrays(Generate.range(1, 300), Generate.bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 0));
    }

    private static Gen<byte[]> mutatedAnswers() {
        return Generate.intArrays(Generate.range(1, 6), Generate.range(0, ANSWER.length * 256 - 1)).map(flips -> {
            byte[] body = ANSWER.clone();
            for (int flip : flips) {
                body[flip / 256 % body.length] = (byte) (flip % 256);
            }
            return body;
        });
    }

    @Test
    void randomAnswersAreCountedAndNeverBreakTheConnection() {
        qt().withExamples(300).forAll(bodies()).checkAssert(LoadConnectionReadProperties::feed);
    }

    @Test
    void mutatedAnswersAreCountedAndNeverBreakTheConnection() {
        qt().withExamples(300).forAll(mutatedAnswers()).checkAssert(LoadConnectionReadProperties::feed);
    }

    private static void feed(byte[] body) {
        LoadStats stats = new LoadStats();
        LoadPlan plan = LoadPlan.closedLoop("127.0.0.1", 1, DIALECT, 1, Duration.ZERO, Duration.ofSeconds(1),
                LoadMix.echoOnly());
        TerminalConfig config = TerminalConfig.of("127.0.0.1", 1, DIALECT, "LOAD0001", "LOADMERCHANT001", 156, HSM,
                HSM.formKey(KeyKind.TMK, KeyAlgorithm.TDES_2KEY, List.of(HexFormat.of().parseHex("0123456789ABCDEFFEDCBA9876543210"))));
        Framing framing = new Framing(DIALECT.header(), FramingOptions.plain());
        EmbeddedChannel channel = new EmbeddedChannel(framing.newDecoder(), framing.encoder(),
                new LoadConnection(config, plan, stats, new RequestTemplates.Shared(List.of(), plan.amountMinor()), 1));
        ByteBuf framed = Unpooled.buffer(body.length + 2).writeShort(body.length).writeBytes(body);
        channel.writeInbound(framed);
        channel.checkException();
        assertThat(channel.isActive()).isTrue();
        assertThat(stats.errors().get(LoadError.UNDECODABLE) + stats.errors().get(LoadError.UNMATCHED)).isEqualTo(1);
        assertThat(stats.liveAnswered()).isZero();
        channel.finishAndReleaseAll();
    }
}
