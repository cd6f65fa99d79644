package io.isoswitch.core.testing;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.codec.spec.MessageSpec;
import io.isoswitch.security.Hsm;
import io.isoswitch.security.KeyAlgorithm;
import io.isoswitch.security.KeyKind;
import io.isoswitch.security.PinBlockFormat;
import io.isoswitch.security.SecureKey;
import io.isoswitch.sim.card.IssuedCard;
import io.isoswitch.sim.wire.MessageMacs;
import java.io.IOException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * What a POS terminal does with its keys, for switch tests, in any {@link TerminalDialect}: signs
 * on and imports the working keys from field 62 under its TMK (hex text for ISO terminals, 40 raw
 * bytes for UnionPay ones), encrypts PINs, MACs requests (X9.19 or UnionPay ECB) and checks the
 * MACs of answers.
 */
public final class TerminalSide implements AutoCloseable {
    private final TestTerminalClient client;
    private final TerminalDialect dialect;
    private final MessageSpec spec;
    private final Hsm hsm;
    private final SecureKey tmk;
    private final String terminalId;
    private String batch = "000001";
    private SecureKey tpk;
    private SecureKey tak;
    private io.isoswitch.security.MacAlgorithm mac;

    /** Connects to {@code port}; call {@link #signOn} before financial requests. */
    public TerminalSide(TerminalDialect dialect, int port, Hsm hsm, SecureKey tmk, String terminalId) throws IOException {
        this.client = new TestTerminalClient(port, dialect.spec(), dialect.prefix(), dialect.header());
        this.dialect = dialect;
        this.spec = dialect.spec();
        this.hsm = hsm;
        this.tmk = tmk;
        this.terminalId = terminalId;
        this.mac = dialect.mac();
    }

    /** The working MAC key of its last sign-on (for tests that compute a MAC themselves). */
    public SecureKey tak() {
        return tak;
    }

    /** MACs requests, and checks answers, with {@code algorithm} instead of the dialect's own (a port configured with another MAC). */
    public TerminalSide macWith(io.isoswitch.security.MacAlgorithm algorithm) {
        this.mac = algorithm;
        return this;
    }

    public String terminalId() {
        return terminalId;
    }

    public TerminalDialect dialect() {
        return dialect;
    }

    /** The batch number the switch gave at sign-on (UnionPay 60.2). */
    public String batch() {
        return batch;
    }

    /** Signs on; returns the answer, having imported the keys when it was approved. */
    public IsoMessage signOnAnswer(String stan) throws IOException {
        IsoMessage request = new IsoMessage("0800").set(11, stan).set(41, terminalId);
        if (dialect.cup()) {
            request.set(42, SwitchFixture.MERCHANT).set(60, "00" + batch + "003");
        } else {
            request.set(70, "001");
        }
        IsoMessage answer = client.exchange(request);
        if ("00".equals(answer.getString(39))) {
            byte[] keys = dialect.cup() ? answer.getBytes(62) : HexFormat.of().parseHex(answer.getString(62));
            tpk = hsm.importKey(KeyKind.TPK, KeyAlgorithm.TDES_2KEY, Arrays.copyOfRange(keys, 0, 16), tmk, Arrays.copyOfRange(keys, 16, 20));
            tak = hsm.importKey(KeyKind.TAK, KeyAlgorithm.TDES_2KEY, Arrays.copyOfRange(keys, 20, 36), tmk, Arrays.copyOfRange(keys, 36, 40));
            if (dialect.cup()) {
                batch = answer.getString(60).substring(2, 8);
            }
        }
        return answer;
    }

    /** Signs on; returns field 39 of the answer. */
    public String signOn(String stan) throws IOException {
        return signOnAnswer(stan).getString(39);
    }

    /** Signs off (ISO 0800 field 70 = 002, UnionPay 0820 60.3 = 002); returns field 39 of the answer. */
    public String signOff(String stan) throws IOException {
        IsoMessage request = dialect.cup()
                ? new IsoMessage("0820").set(11, stan).set(41, terminalId).set(42, SwitchFixture.MERCHANT).set(60, "00" + batch + "002")
                : new IsoMessage("0800").set(11, stan).set(41, terminalId).set(70, "002");
        return client.exchange(request).getString(39);
    }

    /** An echo test (ISO 0800 field 70 = 301, UnionPay 0820 60.3 = 301). */
    public IsoMessage echo(String stan) throws IOException {
        IsoMessage request = dialect.cup()
                ? new IsoMessage("0820").set(11, stan).set(41, terminalId).set(42, SwitchFixture.MERCHANT).set(60, "00" + batch + "301")
                : new IsoMessage("0800").set(11, stan).set(41, terminalId).set(70, "301");
        return client.exchange(request);
    }

    public byte[] pinBlock(String pin, String pan) {
        return hsm.encryptPin(tpk, pin, pan, PinBlockFormat.ISO_0);
    }

    /** A purchase of {@code card} with its PIN, as this terminal sends it (not yet sent). */
    public IsoMessage pinPurchase(IssuedCard card, String stan, long amountMinor) {
        return requests().purchase(SwitchFixture.read(card), pinBlock(card.pin(), card.account().pan()), stan, amountMinor);
    }

    /** Requests of this terminal's dialect, carrying its id and batch. */
    public TerminalRequests requests() {
        return new TerminalRequests(dialect, terminalId, batch);
    }

    /** Sends {@code request} MACed and returns the answer, failing if the answer's MAC is wrong. */
    public IsoMessage send(IsoMessage request) throws IOException {
        return answer(client.exchangeRaw(signed(request)));
    }

    /** The encoded request with its MAC in field 64, or 128 when it has a secondary bitmap. */
    public byte[] signed(IsoMessage request) {
        return MessageMacs.encodeSigned(request, spec, block -> hsm.generateMac(tak, mac, block, 0, block.length));
    }

    /** Sends {@code request} with a MAC that does not verify (the last MAC byte flipped). */
    public IsoMessage sendWithWrongMac(IsoMessage request) throws IOException {
        signed(request);
        byte[] mac = request.getBytes(64).clone();
        mac[7] ^= 0x01;
        request.set(64, mac);
        return IsoMessage.decode(spec, client.exchangeRaw(request.encode(spec)));
    }

    /** Sends {@code request} as it is (no MAC added) and returns the answer undecoded-checked. */
    public IsoMessage sendPlain(IsoMessage request) throws IOException {
        return client.exchange(request);
    }

    /** Decodes an answer body, failing if it carries a MAC that does not verify under the TAK. */
    public IsoMessage answer(byte[] answerBytes) {
        IsoMessage answer = IsoMessage.decode(spec, answerBytes);
        byte[] block = MessageMacs.macBlock(answerBytes, spec);
        if (block != null && !hsm.verifyMac(tak, mac, block, 0, block.length, MessageMacs.mac(answerBytes, spec))) {
            throw new AssertionError("the answer's MAC does not verify under the terminal's TAK");
        }
        return answer;
    }

    /** Whether the last answer carried a MAC, in 64 or (with a secondary bitmap) 128 (for tests that expect unMACed answers). */
    public static boolean macced(IsoMessage answer) {
        return answer.has(64) || answer.has(128);
    }

    /** Another connection presenting the same terminal with the keys this one signed on for. */
    public TerminalSide anotherConnection(int port) throws IOException {
        TerminalSide other = new TerminalSide(dialect, port, hsm, tmk, terminalId);
        other.batch = batch;
        other.tpk = tpk;
        other.tak = tak;
        other.mac = mac;
        return other;
    }

    public TestTerminalClient client() {
        return client;
    }

    @Override
    public void close() throws IOException {
        client.close();
    }
}
