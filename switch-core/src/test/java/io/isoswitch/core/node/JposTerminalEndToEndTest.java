package io.isoswitch.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.core.testing.IssuerSimulator;
import io.isoswitch.core.testing.FreshSwitchPerTest;
import io.isoswitch.core.testing.PlainJce;
import io.isoswitch.core.testing.SwitchFixture;
import io.isoswitch.core.testing.TerminalDialect;
import io.isoswitch.sim.card.IssuedCard;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Cipher;
import org.jpos.iso.BaseChannel;
import org.jpos.iso.ISOException;
import org.jpos.iso.ISOMsg;
import org.jpos.iso.ISOPackager;
import org.jpos.iso.channel.ASCIIChannel;
import org.jpos.iso.channel.NACChannel;
import org.jpos.iso.packager.GenericPackager;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A third-party terminal, not our codec or our security module on the terminal's side: jPOS's own
 * channel with its stock packager (iso87binary and iso87ascii) signs on, sends an echo and completes a PIN
 * purchase through the switch. It decrypts the working keys from field 62 under the clear TMK,
 * builds the ISO 9564 format 0 PIN block and computes the ANSI X9.19 MAC with plain JCE DESede,
 * and checks the MAC of the switch's answer the same way.
 */
class JposTerminalEndToEndTest extends FreshSwitchPerTest {
    private static final DateTimeFormatter MMDD = DateTimeFormatter.ofPattern("MMdd", Locale.ROOT);
    private static final DateTimeFormatter HHMMSS = DateTimeFormatter.ofPattern("HHmmss", Locale.ROOT);

    /**
     * jPOS's own channel and stock packager for the dialect: NACChannel (2-byte binary length) with
     * iso87binary.xml, ASCIIChannel (4-digit ASCII length) with iso87ascii.xml, where field 64 travels
     * as 16 hexadecimal characters.
     */
    private BaseChannel channel(TerminalDialect dialect) throws ISOException {
        int port = fixture.port(dialect);
        return switch (dialect) {
            case ISO87_BINARY -> new NACChannel("127.0.0.1", port, new GenericPackager("jar:packager/iso87binary.xml"), null);
            case ISO87_ASCII -> new ASCIIChannel("127.0.0.1", port, new GenericPackager("jar:packager/iso87ascii.xml"));
            default -> throw new IllegalArgumentException("not an ISO 8583:1987 dialect of jPOS: " + dialect);
        };
    }

    @ParameterizedTest
    @EnumSource(value = TerminalDialect.class, names = {"ISO87_BINARY", "ISO87_ASCII"})
    void aJposTerminalSignsOnEchoesAndCompletesAPinPurchaseWithItsOwnCrypto(TerminalDialect dialect) throws Exception {
        String terminal = SwitchFixture.terminalId(dialect, 1);
        BaseChannel channel = channel(dialect);
        ISOPackager packager = channel.getPackager();
        // the MAC covers everything before field 64, which is 8 bytes, or 16 hex characters in ASCII
        int macLength = dialect == TerminalDialect.ISO87_ASCII ? 16 : 8;
        channel.setTimeout(10_000);
        channel.connect();
        try {
            ISOMsg signOn = new ISOMsg("0800");
            signOn.set(11, "000001");
            signOn.set(41, terminal);
            signOn.set(70, "001");
            channel.send(signOn);
            ISOMsg signOnReply = channel.receive();
            assertThat(signOnReply.getMTI()).isEqualTo("0810");
            assertThat(signOnReply.getString(39)).isEqualTo("00");
            byte[] keys = HexFormat.of().parseHex(signOnReply.getString(62));
            byte[] tmk = HexFormat.of().parseHex(SwitchFixture.CLEAR_TMK);
            byte[] tpk = PlainJce.decryptKey(tmk, Arrays.copyOfRange(keys, 0, 16), Arrays.copyOfRange(keys, 16, 20));
            byte[] tak = PlainJce.decryptKey(tmk, Arrays.copyOfRange(keys, 20, 36), Arrays.copyOfRange(keys, 36, 40));

            ISOMsg echo = new ISOMsg("0800");
            echo.set(11, "000002");
            echo.set(41, terminal);
            echo.set(70, "301");
            channel.send(echo);
            ISOMsg echoReply = channel.receive();
            assertThat(echoReply.getMTI()).isEqualTo("0810");
            assertThat(echoReply.getString(39)).isEqualTo("00");
            assertThat(echoReply.getString(11)).isEqualTo("000002");

            // a bare keep-alive, as many hosts and clients send it: no terminal id, still answered
            ISOMsg keepAlive = new ISOMsg("0800");
            keepAlive.set(7, "1126120000");
            keepAlive.set(11, "000009");
            keepAlive.set(70, "301");
            channel.send(keepAlive);
            ISOMsg keepAliveReply = channel.receive();
            assertThat(keepAliveReply.getString(39)).isEqualTo("00");
            assertThat(keepAliveReply.getString(11)).isEqualTo("000009");

            IssuedCard card = fixture.issuer().card(0);
            String pan = card.account().pan();
            LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC);
            ISOMsg purchase = new ISOMsg("0200");
            purchase.setPackager(packager);
            purchase.set(2, pan);
            purchase.set(3, "000000");
            purchase.set(4, "000000004321");
            purchase.set(11, "000003");
            purchase.set(12, now.format(HHMMSS));
            purchase.set(13, now.format(MMDD));
            purchase.set(14, SwitchFixture.read(card).expiryYymm());
            purchase.set(22, "021");
            purchase.set(41, terminal);
            purchase.set(42, SwitchFixture.MERCHANT);
            purchase.set(49, "156");
            purchase.set(52, PlainJce.ecb(tpk, Cipher.ENCRYPT_MODE, PlainJce.iso0PinBlock(card.pin(), pan)));
            purchase.set(64, new byte[8]);
            byte[] packed = purchase.pack();
            purchase.set(64, PlainJce.x919(tak, Arrays.copyOf(packed, packed.length - macLength)));
            channel.send(purchase);
            ISOMsg reply = channel.receive();

            assertThat(reply.getMTI()).isEqualTo("0210");
            assertThat(reply.getString(39)).isEqualTo("00");
            assertThat(reply.getString(11)).isEqualTo("000003");
            assertThat(reply.getString(38)).isNotBlank();
            byte[] replyBytes = reply.pack();
            assertThat(reply.getBytes(64)).isEqualTo(PlainJce.x919(tak, Arrays.copyOf(replyBytes, replyBytes.length - macLength)));
            assertThat(fixture.issuer().balance(card)).isEqualTo(IssuerSimulator.OPENING_BALANCE_MINOR - 4_321);
            assertThat(fixture.journal().find(terminal, "000003").orElseThrow().state()).isEqualTo("APPROVED");
        } finally {
            channel.disconnect();
        }
    }
}
