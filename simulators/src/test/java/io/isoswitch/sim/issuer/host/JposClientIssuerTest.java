package io.isoswitch.sim.issuer.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.security.ExportedKey;
import io.isoswitch.security.KeyAlgorithm;
import io.isoswitch.security.KeyKind;
import io.isoswitch.security.PinBlockFormat;
import io.isoswitch.security.SecureKey;
import io.isoswitch.sim.card.IssuedCard;
import io.isoswitch.sim.wire.WorkingKeys;
import java.util.List;
import org.jpos.iso.ISOMsg;
import org.jpos.iso.channel.NACChannel;
import org.jpos.iso.packager.GenericPackager;
import org.junit.jupiter.api.Test;

/**
 * A third-party peer, not our codec on both ends: jPOS's own NACChannel (2-byte binary length)
 * with its stock iso87binary packager signs on to the issuer simulator, takes the ZPK it is given,
 * and completes a PIN purchase.
 */
class JposClientIssuerTest {

    @Test
    void jposNacChannelSignsOnAndCompletesAPinPurchase() throws Exception {
        try (IssuerFixture issuer = new IssuerFixture()) {
            NACChannel channel = new NACChannel("127.0.0.1", issuer.host.port(),
                    new GenericPackager("jar:packager/iso87binary.xml"), null);
            channel.setTimeout(10_000);
            channel.connect();
            try {
                ISOMsg signOn = new ISOMsg("0800");
                signOn.set(7, "1126101500");
                signOn.set(11, "000001");
                signOn.set(32, "20000002");
                signOn.set(70, "001");
                channel.send(signOn);
                ISOMsg signOnReply = channel.receive();
                assertThat(signOnReply.getMTI()).isEqualTo("0810");
                assertThat(signOnReply.getString(39)).isEqualTo("00");

                List<ExportedKey> keys = WorkingKeys.fromHex(signOnReply.getString(48), 16);
                SecureKey zpk = issuer.switchHsm.importKey(KeyKind.ZPK, KeyAlgorithm.TDES_2KEY, keys.get(0).cryptogram(),
                        issuer.switchZmk, keys.get(0).checkValue());
                IssuedCard card = issuer.card(0);
                String pan = card.account().pan();

                ISOMsg purchase = new ISOMsg("0200");
                purchase.set(2, pan);
                purchase.set(3, "000000");
                purchase.set(4, "000000001234");
                purchase.set(7, "1126101501");
                purchase.set(11, "000002");
                purchase.set(32, "20000002");
                purchase.set(37, "633010000002");
                purchase.set(41, "TERM0001");
                purchase.set(42, "MERCHANT0000001");
                purchase.set(49, "978");
                purchase.set(52, issuer.switchHsm.encryptPin(zpk, card.pin(), pan, PinBlockFormat.ISO_0));
                channel.send(purchase);
                ISOMsg reply = channel.receive();

                assertThat(reply.getMTI()).isEqualTo("0210");
                assertThat(reply.getString(39)).isEqualTo("00");
                assertThat(reply.getString(11)).isEqualTo("000002");
                assertThat(reply.getString(38)).hasSize(6);
                assertThat(issuer.bank.balance(card.account().accountId()).balanceMinor()).isEqualTo(100_000 - 1_234);
            } finally {
                channel.disconnect();
            }
        }
    }
}
