package io.isoswitch.sim.issuer.host;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.codec.framing.LengthHeader;
import io.isoswitch.codec.spec.Dialects;
import io.isoswitch.codec.spec.MessageSpec;
import io.isoswitch.security.ExportedKey;
import io.isoswitch.security.Hsm;
import io.isoswitch.security.KeyAlgorithm;
import io.isoswitch.security.KeyKind;
import io.isoswitch.security.MacAlgorithm;
import io.isoswitch.security.PinBlockFormat;
import io.isoswitch.security.SecureKey;
import io.isoswitch.sim.wire.FramedSocket;
import io.isoswitch.sim.wire.MessageMacs;
import io.isoswitch.sim.wire.WorkingKeys;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The scripted switch side of an issuer link in tests: real TCP, our codec, its own HSM. */
final class LinkClient implements AutoCloseable {
    static final MessageSpec SPEC = Dialects.iso87binary();
    static final Duration WAIT = Duration.ofSeconds(10);
    static final String ACQUIRER = "10000001";
    static final String TRANSMISSION = "1126101500";

    final FramedSocket socket;
    final Hsm hsm;
    final SecureKey zmk;
    SecureKey zpk;
    SecureKey zak;

    LinkClient(int port, Hsm hsm, SecureKey zmk) {
        this.socket = FramedSocket.connect("127.0.0.1", port, LengthHeader.BINARY2, new byte[0], WAIT);
        this.hsm = hsm;
        this.zmk = zmk;
    }

    static IsoMessage network(String code, int stan) {
        return new IsoMessage("0800").set(7, TRANSMISSION).set(11, stan(stan)).set(32, ACQUIRER).set(70, code);
    }

    static String stan(int stan) {
        return String.format(Locale.ROOT, "%06d", stan);
    }

    static IsoMessage request(String mti, String processingCode, String pan, long amount, int stan) {
        return new IsoMessage(mti).set(2, pan).set(3, processingCode)
                .set(4, String.format(Locale.ROOT, "%012d", amount)).set(7, TRANSMISSION).set(11, stan(stan))
                .set(32, ACQUIRER).set(37, "633010" + stan(stan)).set(41, "TERM0001").set(42, "MERCHANT0000001")
                .set(49, "978");
    }

    IsoMessage exchange(IsoMessage request) {
        send(request);
        return receive().orElseThrow(() -> new AssertionError("no answer within " + WAIT));
    }

    void send(IsoMessage request) {
        socket.send(request.encode(SPEC));
    }

    Optional<IsoMessage> receive() {
        return socket.receive(WAIT).map(body -> IsoMessage.decode(SPEC, body));
    }

    /** Signs on and imports the ZPK and ZAK from field 48, checking their check values. */
    IsoMessage signOn(int stan) {
        IsoMessage response = exchange(network("001", stan));
        if ("00".equals(response.getString(39))) {
            List<ExportedKey> keys = WorkingKeys.fromHex(response.getString(48), 16);
            zpk = hsm.importKey(KeyKind.ZPK, KeyAlgorithm.TDES_2KEY, keys.get(0).cryptogram(), zmk, keys.get(0).checkValue());
            zak = hsm.importKey(KeyKind.ZAK, KeyAlgorithm.TDES_2KEY, keys.get(1).cryptogram(), zmk, keys.get(1).checkValue());
        }
        return response;
    }

    IsoMessage withPin(IsoMessage request, String pin) {
        return request.set(52, hsm.encryptPin(zpk, pin, request.getString(2), PinBlockFormat.ISO_0));
    }

    byte[] signed(IsoMessage request) {
        return MessageMacs.encodeSigned(request, SPEC,
                block -> hsm.generateMac(zak, MacAlgorithm.ANSI_X9_19, block, 0, block.length));
    }

    @Override
    public void close() {
        socket.close();
    }
}
