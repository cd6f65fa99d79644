package io.isoswitch.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.core.testing.PlainJce;
import io.isoswitch.core.testing.SwitchFixture;
import io.isoswitch.core.testing.TerminalDialect;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import org.jpos.iso.ISOException;
import org.jpos.iso.ISOMsg;
import org.jpos.iso.channel.NACChannel;
import org.jpos.iso.packager.GenericPackager;

/**
 * A China UnionPay POS terminal that is not our codec: jPOS's NACChannel (2-byte length, then an
 * 11-byte header: TPDU {@code 60 0003 0000} and the application header {@code 60 31 00 31 10 00})
 * with a GenericPackager whose field table is cup-pos.md section 3 ({@code jpos/cup-pos-packager.xml}),
 * and its own cryptography ({@link PlainJce}: 3DES working keys, ISO 9564 format 0 PIN blocks,
 * the UnionPay ECB MAC). {@link #exchange} checks each answer as a real terminal would: the TPDU's
 * addresses swapped and the application header's category and version kept (cup-pos.md 1, 2), the
 * response MTI, the echoed fields 2, 3, 4, 11, 14, 22, 23, 25, 41, 42, 49 and 60 identical, the host's
 * time and date in 12 and 13, and the answer's MAC verifying under the MAK.
 */
final class JposCupTerminal implements AutoCloseable {
    static final byte[] TPDU = HexFormat.of().parseHex("6000030000");
    static final byte[] APPLICATION_HEADER = HexFormat.of().parseHex("603100311000");
    private static final int[] ECHOED = {2, 3, 4, 11, 14, 22, 23, 25, 41, 42, 49, 60};
    /** Answers the switch gives before (or without) the MAC check, unMACed (docs/terminal-protocol.md). */
    private static final Set<String> UNMACED = Set.of("30", "97", "12", "14", "54", "13", "A0", "77");

    private final NACChannel channel;
    private final String terminalId;
    private byte[] pik;
    private byte[] mak;
    private byte[] tdk;
    private String batch;

    JposCupTerminal(SwitchFixture fixture, String terminalId) throws ISOException {
        byte[] header = new byte[11];
        System.arraycopy(TPDU, 0, header, 0, 5);
        System.arraycopy(APPLICATION_HEADER, 0, header, 5, 6);
        this.channel = new NACChannel("127.0.0.1", fixture.port(TerminalDialect.CUP_POS),
                new GenericPackager(JposCupTerminal.class.getResourceAsStream("/jpos/cup-pos-packager.xml")), header);
        this.terminalId = terminalId;
    }

    String terminalId() {
        return terminalId;
    }

    /** The batch number (60.2) the sign-on answer carried. */
    String batch() {
        return batch;
    }

    byte[] tdk() {
        return tdk;
    }

    void connect() throws Exception {
        channel.setTimeout(15_000);
        channel.connect();
    }

    /**
     * Signs on with {@code nmic} (001 single-length keys, 003 double-length, 004 double-length with a
     * track key; cup-pos.md 7.2) and takes the work keys of field 62, each checked against its check
     * value, and the batch of 60.2. A single-length key is kept as K1 K1, which 3DES uses as single DES.
     */
    ISOMsg signOn(String stan, String nmic) throws Exception {
        ISOMsg m = new ISOMsg("0800");
        m.set(11, stan);
        m.set(41, terminalId);
        m.set(42, SwitchFixture.MERCHANT);
        m.set(60, "00" + "000001" + nmic);
        m.set(63, "01 ");
        ISOMsg reply = exchange(m);
        assertThat(reply.getString(39)).isEqualTo("00");
        byte[] keys = reply.getBytes(62);
        boolean single = "001".equals(nmic);
        assertThat(keys).as("field 62 of a sign-on with NMIC %s", nmic).hasSize(single ? 24 : "004".equals(nmic) ? 60 : 40);
        byte[] tmk = HexFormat.of().parseHex(SwitchFixture.CLEAR_TMK);
        int slot = single ? 12 : 20;
        pik = key(tmk, keys, 0, slot - 4);
        mak = key(tmk, keys, slot, slot - 4);
        tdk = keys.length == 60 ? key(tmk, keys, 40, 16) : null;
        String field60 = reply.getString(60);
        assertThat(field60).as("0810 field 60: 00, batch, NMIC").matches("00\\d{6}" + nmic + "\\d*");
        batch = field60.substring(2, 8);
        return reply;
    }

    /** The key whose cryptogram of {@code length} bytes (8 single, 16 double) starts at {@code at}, its check value after it. */
    private static byte[] key(byte[] tmk, byte[] keys, int at, int length) throws Exception {
        byte[] cryptogram = Arrays.copyOfRange(keys, at, at + length);
        byte[] checkValue = Arrays.copyOfRange(keys, at + length, at + length + 4);
        if (length == 16) {
            return PlainJce.decryptKey(tmk, cryptogram, checkValue);
        }
        byte[] doubled = new byte[16];
        System.arraycopy(cryptogram, 0, doubled, 0, 8);
        System.arraycopy(cryptogram, 0, doubled, 8, 8);
        byte[] clear = Arrays.copyOf(PlainJce.ecb(tmk, javax.crypto.Cipher.DECRYPT_MODE, doubled), 8);
        byte[] asDouble = new byte[16];
        System.arraycopy(clear, 0, asDouble, 0, 8);
        System.arraycopy(clear, 0, asDouble, 8, 8);
        // the check value of a single-length key is single DES of zeros, which 3DES under K1 K1 is
        assertThat(Arrays.copyOf(PlainJce.ecb(asDouble, javax.crypto.Cipher.ENCRYPT_MODE, new byte[8]), 4))
                .as("check value of a single-length key").isEqualTo(checkValue);
        return asDouble;
    }

    byte[] pinBlock(String pin, String pan) throws Exception {
        return PlainJce.ecb(pik, javax.crypto.Cipher.ENCRYPT_MODE, PlainJce.iso0PinBlock(pin, pan));
    }

    /** Field 64 over the MTI to the end of the last field before 64, bit 64 set first (cup-pos.md 9.3). */
    ISOMsg mac(ISOMsg request) throws Exception {
        request.setPackager(channel.getPackager());
        request.set(64, new byte[8]);
        byte[] packed = request.pack();
        request.set(64, PlainJce.cupEcbMac(mak, Arrays.copyOf(packed, packed.length - 8)));
        return request;
    }

    ISOMsg send(ISOMsg request) throws Exception {
        return exchange(mac(request));
    }

    ISOMsg exchange(ISOMsg request) throws Exception {
        channel.send(request);
        ISOMsg reply = channel.receive();
        byte[] header = reply.getHeader();
        assertThat(HexFormat.of().formatHex(Arrays.copyOfRange(header, 0, 5))).as("the answer's TPDU, addresses swapped")
                .isEqualTo("6000000003");
        assertThat(HexFormat.of().formatHex(Arrays.copyOfRange(header, 5, 7))).as("the answer's application category and version")
                .isEqualTo("6031");
        String mti = request.getMTI();
        assertThat(reply.getMTI()).as("answer MTI to %s", mti).isEqualTo(mti.substring(0, 2) + (char) (mti.charAt(2) + 1) + "0");
        for (int field : ECHOED) {
            if (request.hasField(field)) {
                assertThat(reply.getString(field)).as("field %d of the %s answer to %s", field, reply.getMTI(), mti)
                        .isEqualTo(request.getString(field));
            }
        }
        assertThat(reply.getString(12)).as("host time, field 12").matches("\\d{6}");
        assertThat(reply.getString(13)).as("host date, field 13").matches("\\d{4}");
        String code = reply.getString(39);
        assertThat(code).as("field 39").matches("[0-9A-Z]{2}");
        if (request.hasField(64) && !UNMACED.contains(code)) {
            assertThat(reply.hasField(64)).as("a MAC on the %s answer %s", reply.getMTI(), code).isTrue();
        }
        if (reply.hasField(64)) {
            reply.setPackager(channel.getPackager());
            byte[] packed = reply.pack();
            assertThat(reply.getBytes(64)).as("the MAC of the %s answer", reply.getMTI())
                    .isEqualTo(PlainJce.cupEcbMac(mak, Arrays.copyOf(packed, packed.length - 8)));
        }
        return reply;
    }

    /** Field 60 of a financial request: 60.1 type, 60.2 batch, 60.3 000. */
    String field60(String type) {
        return type + batch + "000";
    }

    static String amount(long minor) {
        return String.format(Locale.ROOT, "%012d", minor);
    }

    @Override
    public void close() throws java.io.IOException {
        channel.disconnect();
    }
}
