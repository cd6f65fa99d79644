package io.isoswitch.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.solab.iso8583.IsoMessage;
import com.solab.iso8583.IsoType;
import com.solab.iso8583.MessageFactory;
import com.solab.iso8583.parse.FieldParseInfo;
import io.isoswitch.core.testing.PlainJce;
import io.isoswitch.core.testing.SwitchFixture;
import io.isoswitch.core.testing.TerminalDialect;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import javax.crypto.Cipher;

/**
 * An ISO 8583:1987 POS terminal built on j8583 (net.sf.j8583, Apache-2.0), a library that shares no
 * code with jPOS or with the switch's codec, configured from docs/terminal-protocol.md alone: its
 * {@link MessageFactory} in binary mode (BCD numbers, binary MTI and bitmap, LLBCDBIN for the
 * BCD-packed LL numbers 2, 32 and 35) for {@code iso87binary}, in text mode for {@code iso87ascii};
 * the length header (2 bytes binary, or 4 ASCII digits) written and read here, since j8583 frames
 * nothing. Crypto is plain JCE ({@link PlainJce}). Every answer is parsed by j8583 and checked as
 * a strict third party does: the answer MTI, field 11 and 41 echoed, and the MAC (64, or 128 when
 * the answer has a secondary bitmap) over the answer's bytes as they came.
 */
final class J8583Terminal implements AutoCloseable {
    private static final String CHARSET = "ISO-8859-1";
    /** Answers the switch gives before (or without) the MAC check, unMACed (docs/terminal-protocol.md). */
    private static final java.util.Set<String> UNMACED = java.util.Set.of("30", "03", "12", "14", "54", "13", "63", "58");

    /** How a field is written: its j8583 type and, for fixed ones, its length. */
    private record Format(IsoType type, int length) {
    }

    private final boolean binary;
    private final String terminalId;
    private final Map<Integer, Format> formats;
    private final MessageFactory<IsoMessage> factory;
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private byte[] tpk;
    private byte[] tak;

    J8583Terminal(SwitchFixture fixture, TerminalDialect dialect, String terminalId) throws IOException {
        if (dialect != TerminalDialect.ISO87_BINARY && dialect != TerminalDialect.ISO87_ASCII) {
            throw new IllegalArgumentException("not an ISO 8583:1987 dialect: " + dialect);
        }
        this.binary = dialect == TerminalDialect.ISO87_BINARY;
        this.terminalId = terminalId;
        this.formats = formats(binary);
        this.factory = factory(binary, formats);
        this.socket = new Socket("127.0.0.1", fixture.port(dialect));
        socket.setSoTimeout(15_000);
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** The fields a POS terminal uses, as docs/terminal-protocol.md's field table gives them. */
    private static Map<Integer, Format> formats(boolean binary) {
        Map<Integer, Format> f = new TreeMap<>();
        // iso87binary packs 2, 32 and 35 as BCD with a BCD length in digits: j8583's LLBCDBIN (hex text in, hex text out)
        IsoType llNumber = binary ? IsoType.LLBCDBIN : IsoType.LLVAR;
        f.put(2, new Format(llNumber, 0));
        f.put(3, new Format(IsoType.NUMERIC, 6));
        f.put(4, new Format(IsoType.AMOUNT, 12));
        f.put(7, new Format(IsoType.NUMERIC, 10));
        f.put(11, new Format(IsoType.NUMERIC, 6));
        f.put(12, new Format(IsoType.NUMERIC, 6));
        f.put(13, new Format(IsoType.NUMERIC, 4));
        f.put(14, new Format(IsoType.NUMERIC, 4));
        f.put(22, new Format(IsoType.NUMERIC, 3));
        f.put(25, new Format(IsoType.NUMERIC, 2));
        f.put(32, new Format(llNumber, 0));
        f.put(35, new Format(llNumber, 0));
        f.put(37, new Format(IsoType.ALPHA, 12));
        f.put(38, new Format(IsoType.ALPHA, 6));
        f.put(39, new Format(IsoType.ALPHA, 2));
        f.put(41, new Format(IsoType.ALPHA, 8));
        f.put(42, new Format(IsoType.ALPHA, 15));
        f.put(48, new Format(IsoType.LLLVAR, 0));
        f.put(49, new Format(IsoType.ALPHA, 3));
        f.put(52, new Format(IsoType.BINARY, 8));
        f.put(54, new Format(IsoType.LLLVAR, 0));
        f.put(55, new Format(binary ? IsoType.LLLBIN : IsoType.LLLVAR, 0));
        f.put(60, new Format(IsoType.LLLVAR, 0));
        f.put(62, new Format(IsoType.LLLVAR, 0));
        f.put(64, new Format(IsoType.BINARY, 8));
        f.put(70, new Format(IsoType.NUMERIC, 3));
        f.put(90, new Format(IsoType.NUMERIC, 42));
        f.put(128, new Format(IsoType.BINARY, 8));
        return f;
    }

    private static MessageFactory<IsoMessage> factory(boolean binary, Map<Integer, Format> formats) {
        MessageFactory<IsoMessage> factory = new MessageFactory<>();
        factory.setUseBinaryMessages(binary);
        factory.setCharacterEncoding(CHARSET);
        Map<Integer, FieldParseInfo> guide = new HashMap<>();
        formats.forEach((field, format) -> guide.put(field, FieldParseInfo.getInstance(format.type(), format.length(), CHARSET, false)));
        for (int mti : new int[] {0x0810, 0x0210, 0x0110, 0x0230, 0x0410}) {
            factory.setParseMap(mti, guide);
        }
        return factory;
    }

    String terminalId() {
        return terminalId;
    }

    /** A new request of this MTI (j8583 takes MTIs as hexadecimal numbers: 0x0200). */
    IsoMessage message(int mti) {
        return factory.newMessage(mti);
    }

    /** Sets a field as this dialect writes it; text for numbers and characters, bytes for binary fields. */
    J8583Terminal set(IsoMessage m, int field, Object value) {
        Format format = formats.get(field);
        Object v = format.type() == IsoType.AMOUNT ? new java.math.BigDecimal((String) value).movePointLeft(2) : value;
        int length = switch (format.type()) {
            case LLBCDBIN, LLVAR, LLLVAR -> ((String) value).length();
            case LLLBIN -> ((byte[]) value).length;
            default -> format.length();
        };
        m.setValue(field, v, format.type(), length);
        return this;
    }

    /** Signs on (0800, 70 = 001) and keeps the TPK and TAK of field 62, each checked against its check value. */
    void signOn(String stan) throws Exception {
        IsoMessage signOn = message(0x0800);
        set(signOn, 11, stan).set(signOn, 41, terminalId).set(signOn, 70, "001");
        Answer reply = exchange(signOn);
        assertThat(reply.text(39)).as("sign-on answer").isEqualTo("00");
        byte[] keys = HexFormat.of().parseHex(reply.text(62));
        byte[] tmk = HexFormat.of().parseHex(SwitchFixture.CLEAR_TMK);
        tpk = PlainJce.decryptKey(tmk, Arrays.copyOfRange(keys, 0, 16), Arrays.copyOfRange(keys, 16, 20));
        tak = PlainJce.decryptKey(tmk, Arrays.copyOfRange(keys, 20, 36), Arrays.copyOfRange(keys, 36, 40));
    }

    /** The ISO 9564 format 0 PIN block of {@code pin} for {@code pan} under the TPK. */
    byte[] pinBlock(String pin, String pan) throws Exception {
        return PlainJce.ecb(tpk, Cipher.ENCRYPT_MODE, PlainJce.iso0PinBlock(pin, pan));
    }

    /** Adds the MAC: field 128 when the request has a field from 65 to 127, else 64, over j8583's bytes before it. */
    IsoMessage mac(IsoMessage m) throws Exception {
        int macField = IntStream.range(65, 128).anyMatch(m::hasField) ? 128 : 64;
        set(m, macField, new byte[8]);
        byte[] packed = m.writeData();
        set(m, macField, PlainJce.x919(tak, Arrays.copyOf(packed, packed.length - macWireLength())));
        return m;
    }

    /** Sends {@code m} as it is and reads the answer, checked as the class says. */
    Answer exchange(IsoMessage m) throws Exception {
        sendBody(m.writeData());
        Answer answer = read();
        assertThat(answer.message().getType()).as("answer MTI to %04x", m.getType()).isEqualTo((m.getType() & 0xFFF0) + 0x10);
        for (int field : new int[] {11, 41}) {
            if (m.hasField(field)) {
                assertThat(answer.text(field)).as("field %d echoed", field).isEqualTo(m.getField(field).toString());
            }
        }
        boolean secondary = IntStream.range(65, 128).anyMatch(answer.message()::hasField);
        int macField = secondary ? 128 : 64;
        assertThat(answer.message().hasField(secondary ? 64 : 128)).as("a MAC in the wrong field").isFalse();
        boolean macedRequest = m.hasField(64) || m.hasField(128);
        if (macedRequest && !UNMACED.contains(answer.text(39))) {
            assertThat(answer.message().hasField(macField)).as("a MAC in %d on the answer %s", macField, answer.text(39)).isTrue();
        }
        if (answer.message().hasField(macField)) {
            byte[] raw = answer.raw();
            assertThat((byte[]) answer.message().getObjectValue(macField)).as("the MAC of the %04x answer", answer.message().getType())
                    .isEqualTo(PlainJce.x919(tak, Arrays.copyOf(raw, raw.length - macWireLength())));
        }
        return answer;
    }

    /** MACs, then exchanges. */
    Answer send(IsoMessage m) throws Exception {
        return exchange(mac(m));
    }

    /** Writes message bodies, each behind this dialect's length header, in one write. */
    void sendBodies(byte[]... bodies) throws IOException {
        java.io.ByteArrayOutputStream frames = new java.io.ByteArrayOutputStream();
        for (byte[] body : bodies) {
            byte[] header = binary ? new byte[] {(byte) (body.length >> 8), (byte) body.length}
                    : String.format(Locale.ROOT, "%04d", body.length).getBytes(StandardCharsets.US_ASCII);
            frames.writeBytes(header);
            frames.writeBytes(body);
        }
        out.write(frames.toByteArray());
        out.flush();
    }

    /** Writes one message body behind this dialect's length header. */
    void sendBody(byte[] body) throws IOException {
        sendBodies(body);
    }

    /** Reads one framed answer and parses it with j8583. */
    Answer read() throws Exception {
        int length;
        if (binary) {
            length = in.readUnsignedShort();
        } else {
            byte[] header = new byte[4];
            in.readFully(header);
            length = Integer.parseInt(new String(header, StandardCharsets.US_ASCII));
        }
        byte[] body = new byte[length];
        in.readFully(body);
        return new Answer(factory.parseMessage(body, 0), body);
    }

    /** Reads what is left on the connection: -1 once the switch has closed it. */
    int readAfterAnswers() throws IOException {
        return in.read();
    }

    /** Half-closes: the terminal sends nothing more, and still reads. */
    void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    private int macWireLength() {
        // binary MACs travel as 8 bytes, or as 16 hexadecimal characters in iso87ascii
        return binary ? 8 : 16;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** An answer as j8583 parsed it, with the bytes it came in (for its MAC). */
    record Answer(IsoMessage message, byte[] raw) {
        /** A field as text: j8583's rendering (numbers zero-padded to their length), binary fields as uppercase hex. */
        String text(int field) {
            if (!message.hasField(field)) {
                return null;
            }
            Object value = message.getObjectValue(field);
            return value instanceof byte[] bytes ? HexFormat.of().withUpperCase().formatHex(bytes) : message.getField(field).toString();
        }
    }
}
