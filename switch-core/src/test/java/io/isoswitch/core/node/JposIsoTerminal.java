package io.isoswitch.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.core.testing.PlainJce;
import io.isoswitch.core.testing.SwitchFixture;
import io.isoswitch.core.testing.TerminalDialect;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Set;
import org.jpos.iso.BaseChannel;
import org.jpos.iso.ISOException;
import org.jpos.iso.ISOMsg;
import org.jpos.iso.channel.ASCIIChannel;
import org.jpos.iso.channel.NACChannel;
import org.jpos.iso.packager.GenericPackager;

/**
 * An ISO 8583:1987 POS terminal built on jPOS's stock channel and packager (iso87binary or
 * iso87ascii), with its own cryptography ({@link PlainJce}). {@link #exchange} MACs a request the
 * way docs/terminal-protocol.md says (field 64, or 128 when the message has a secondary bitmap),
 * sends it, and checks the answer as a strict third party does: the response MTI, every field the
 * request carried that ISO 8583:1987 has the answer echo (docs/terminal-protocol.md: 2, 3, 4, 7,
 * 11, 12, 13, 14, 22-25, 32, 35, 41, 42, 49, 60, 70, and a reversal's 90) identical, field 39
 * present, and the answer's MAC (64, or 128 when it has a secondary bitmap, as a 0410 echoing 90
 * has) verifying under the TAK. Field 37 is the host's (cup-pos.md 3: set by the
 * host): a void, refund or completion names its original's RRN in it, and its answer carries its
 * own, which a later void of it names.
 */
final class JposIsoTerminal implements AutoCloseable {
    /** Fields a 1987 answer echoes from its request, as the switch documents. */
    static final int[] ECHOED = {2, 3, 4, 7, 11, 12, 13, 14, 22, 23, 24, 25, 32, 35, 41, 42, 49, 60, 70, 90};
    /** Answers the switch gives before (or without) the MAC check, unMACed (docs/terminal-protocol.md). */
    private static final Set<String> UNMACED = Set.of("30", "03", "12", "14", "54", "13", "63", "58");

    private final BaseChannel channel;
    private final int macWireLength;
    private final String terminalId;
    private byte[] tpk;
    private byte[] tak;
    private String batch;

    JposIsoTerminal(SwitchFixture fixture, TerminalDialect dialect, String terminalId) throws ISOException {
        int port = fixture.port(dialect);
        this.channel = switch (dialect) {
            case ISO87_BINARY -> new NACChannel("127.0.0.1", port, new GenericPackager("jar:packager/iso87binary.xml"), null);
            case ISO87_ASCII -> new ASCIIChannel("127.0.0.1", port, new GenericPackager("jar:packager/iso87ascii.xml"));
            default -> throw new IllegalArgumentException("not an ISO 8583:1987 dialect of jPOS: " + dialect);
        };
        // binary MACs travel as 8 bytes, or as 16 hexadecimal characters in iso87ascii
        this.macWireLength = dialect == TerminalDialect.ISO87_ASCII ? 16 : 8;
        this.terminalId = terminalId;
    }

    String terminalId() {
        return terminalId;
    }

    /** The open batch number the sign-on answer carried in field 60. */
    String batch() {
        return batch;
    }

    /** Connects and signs on; keeps the working keys of field 62 (TPK, TAK under the TMK) and the batch of field 60. */
    void signOn(String stan) throws Exception {
        channel.setTimeout(15_000);
        channel.connect();
        ISOMsg signOn = new ISOMsg("0800");
        signOn.set(11, stan);
        signOn.set(41, terminalId);
        signOn.set(70, "001");
        ISOMsg reply = exchange(signOn);
        assertThat(reply.getString(39)).isEqualTo("00");
        byte[] keys = HexFormat.of().parseHex(reply.getString(62));
        byte[] tmk = HexFormat.of().parseHex(SwitchFixture.CLEAR_TMK);
        tpk = PlainJce.decryptKey(tmk, Arrays.copyOfRange(keys, 0, 16), Arrays.copyOfRange(keys, 16, 20));
        tak = PlainJce.decryptKey(tmk, Arrays.copyOfRange(keys, 20, 36), Arrays.copyOfRange(keys, 36, 40));
        batch = reply.getString(60);
        assertThat(batch).as("the open batch in the 0810's field 60").matches("\\d{6}");
    }

    /** The PIN block of {@code pin} for {@code pan} under the TPK. */
    byte[] pinBlock(String pin, String pan) throws Exception {
        return PlainJce.ecb(tpk, javax.crypto.Cipher.ENCRYPT_MODE, PlainJce.iso0PinBlock(pin, pan));
    }

    /** Adds the MAC (field 128 when the request has a field above 64, else 64) over the packed message. */
    ISOMsg mac(ISOMsg request) throws Exception {
        request.setPackager(channel.getPackager());
        int macField = request.getMaxField() > 64 ? 128 : 64;
        request.set(macField, new byte[8]);
        byte[] packed = request.pack();
        request.set(macField, PlainJce.x919(tak, Arrays.copyOf(packed, packed.length - macWireLength)));
        return request;
    }

    /** Sends {@code request} as it is and reads the answer, checked as {@link JposIsoTerminal} says. */
    ISOMsg exchange(ISOMsg request) throws Exception {
        channel.send(request);
        ISOMsg reply = channel.receive();
        String mti = request.getMTI();
        String expected = mti.substring(0, 2) + (char) (mti.charAt(2) + 1) + "0";
        assertThat(reply.getMTI()).as("answer MTI to %s", mti).isEqualTo(expected);
        for (int field : ECHOED) {
            if (request.hasField(field)) {
                assertThat(reply.getString(field)).as("field %d of the %s answer to %s", field, reply.getMTI(), mti)
                        .isEqualTo(request.getString(field));
            }
        }
        assertThat(reply.getString(39)).as("field 39").matches("[0-9A-Z]{2}");
        String code = reply.getString(39);
        boolean macedRequest = request.hasField(64) || request.hasField(128);
        // the MAC is the last field: 128 where the answer has a secondary bitmap, and never in 64 then
        boolean secondary = java.util.stream.IntStream.range(65, 128).anyMatch(reply::hasField);
        int macField = secondary ? 128 : 64;
        assertThat(reply.hasField(secondary ? 64 : 128)).as("a MAC of the %s answer in the wrong field", reply.getMTI()).isFalse();
        if (macedRequest && !UNMACED.contains(code)) {
            assertThat(reply.hasField(macField)).as("a MAC in %d on the %s answer %s", macField, reply.getMTI(), code).isTrue();
        }
        if (reply.hasField(macField)) {
            reply.setPackager(channel.getPackager());
            byte[] packed = reply.pack();
            assertThat(reply.getBytes(macField)).as("the MAC of the %s answer", reply.getMTI())
                    .isEqualTo(PlainJce.x919(tak, Arrays.copyOf(packed, packed.length - macWireLength)));
        }
        return reply;
    }

    /** MACs and exchanges. */
    ISOMsg send(ISOMsg request) throws Exception {
        return exchange(mac(request));
    }

    @Override
    public void close() throws java.io.IOException {
        channel.disconnect();
    }
}
