package io.isoswitch.core.testing;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.codec.spec.MessageSpec;
import io.isoswitch.security.Hsm;
import io.isoswitch.security.KeyAlgorithm;
import io.isoswitch.security.KeyKind;
import io.isoswitch.security.MacAlgorithm;
import io.isoswitch.security.PinBlockFormat;
import io.isoswitch.security.SecureKey;
import java.io.IOException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * What an ISO 8583:1987 POS terminal does with its keys, for switch tests: signs on and imports
 * the working keys from field 62 under its TMK, encrypts PINs, MACs requests (X9.19) and checks
 * the MACs of answers.
 */
public final class TerminalSide {
    private final TestTerminalClient client;
    private final MessageSpec spec;
    private final Hsm hsm;
    private final SecureKey tmk;
    private final String terminalId;
    private SecureKey tpk;
    private SecureKey tak;

    public TerminalSide(TestTerminalClient client, MessageSpec spec, Hsm hsm, SecureKey tmk, String terminalId) {
        this.client = client;
        this.spec = spec;
        this.hsm = hsm;
        this.tmk = tmk;
        this.terminalId = terminalId;
    }

    /** Signs on; returns field 39 of the answer. */
    public String signOn(String stan) throws IOException {
        IsoMessage answer = client.exchange(new IsoMessage("0800").set(11, stan).set(41, terminalId).set(70, "001"));
        if ("00".equals(answer.getString(39))) {
            byte[] keys = HexFormat.of().parseHex(answer.getString(62));
            tpk = hsm.importKey(KeyKind.TPK, KeyAlgorithm.TDES_2KEY, Arrays.copyOfRange(keys, 0, 16), tmk, Arrays.copyOfRange(keys, 16, 20));
            tak = hsm.importKey(KeyKind.TAK, KeyAlgorithm.TDES_2KEY, Arrays.copyOfRange(keys, 20, 36), tmk, Arrays.copyOfRange(keys, 36, 40));
        }
        return answer.getString(39);
    }

    public byte[] pinBlock(String pin, String pan) {
        return hsm.encryptPin(tpk, pin, pan, PinBlockFormat.ISO_0);
    }

    /** Sends {@code request} MACed and returns the answer, failing if the answer's MAC is wrong. */
    public IsoMessage send(IsoMessage request) throws IOException {
        request.set(64, new byte[8]);
        byte[] bytes = request.encode(spec);
        byte[] mac = hsm.generateMac(tak, MacAlgorithm.ANSI_X9_19, bytes, 0, bytes.length - 8);
        System.arraycopy(mac, 0, bytes, bytes.length - 8, 8);
        byte[] answerBytes = client.exchangeRaw(bytes);
        IsoMessage answer = IsoMessage.decode(spec, answerBytes);
        if (answer.has(64) && !hsm.verifyMac(tak, MacAlgorithm.ANSI_X9_19, answerBytes, 0, answerBytes.length - 8, answer.getBytes(64))) {
            throw new AssertionError("the answer's MAC does not verify under the terminal's TAK");
        }
        return answer;
    }
}
