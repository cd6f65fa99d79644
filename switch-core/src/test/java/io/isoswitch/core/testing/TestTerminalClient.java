package io.isoswitch.core.testing;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.codec.framing.LengthHeader;
import io.isoswitch.codec.spec.MessageSpec;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * A blocking test client speaking 2-byte binary or 4-byte ASCII length framing (with an optional
 * fixed prefix such as the UnionPay TPDU and header), so tests talk to the switch over real TCP
 * without sharing its Netty code.
 */
public final class TestTerminalClient implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final MessageSpec spec;
    private final byte[] prefix;
    private final LengthHeader header;

    /** A client with 2-byte binary length framing. */
    public TestTerminalClient(int port, MessageSpec spec, byte[] prefix) throws IOException {
        this(port, spec, prefix, LengthHeader.BINARY2);
    }

    /** A client with {@code header} framing ({@code BINARY2} or {@code ASCII4}). */
    public TestTerminalClient(int port, MessageSpec spec, byte[] prefix, LengthHeader header) throws IOException {
        if (header != LengthHeader.BINARY2 && header != LengthHeader.ASCII4) {
            throw new IllegalArgumentException("header: expected binary2 or ascii4, found " + header);
        }
        this(new Socket("127.0.0.1", port), spec, prefix, header);
    }

    /** A client over a socket already open (a TLS socket, say), with {@code header} framing. */
    public TestTerminalClient(Socket socket, MessageSpec spec, byte[] prefix, LengthHeader header) throws IOException {
        this.socket = socket;
        this.socket.setSoTimeout(10_000);
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
        this.spec = spec;
        this.prefix = prefix;
        this.header = header;
    }

    /** Sends raw body bytes (after the length header and prefix) and returns the answer's body. */
    public byte[] exchangeRaw(byte[] body) throws IOException {
        sendRaw(body);
        return readBody();
    }

    public void sendRaw(byte[] body) throws IOException {
        int length = prefix.length + body.length;
        byte[] frame = new byte[header.size() + length];
        if (header == LengthHeader.BINARY2) {
            frame[0] = (byte) (length >>> 8);
            frame[1] = (byte) length;
        } else {
            System.arraycopy(String.format(Locale.ROOT, "%04d", length).getBytes(StandardCharsets.US_ASCII), 0, frame, 0, 4);
        }
        System.arraycopy(prefix, 0, frame, header.size(), prefix.length);
        System.arraycopy(body, 0, frame, header.size() + prefix.length, body.length);
        out.write(frame);
        out.flush();
    }

    /** The next answer's prefix and body as received. */
    public byte[] readFrame() throws IOException {
        int length;
        if (header == LengthHeader.BINARY2) {
            length = in.readUnsignedShort();
        } else {
            byte[] digits = new byte[4];
            in.readFully(digits);
            length = Integer.parseInt(new String(digits, StandardCharsets.US_ASCII));
        }
        byte[] frame = new byte[length];
        in.readFully(frame);
        return frame;
    }

    public byte[] readBody() throws IOException {
        byte[] frame = readFrame();
        return Arrays.copyOfRange(frame, prefix.length, frame.length);
    }

    public IsoMessage exchange(IsoMessage request) throws IOException {
        return IsoMessage.decode(spec, exchangeRaw(request.encode(spec)));
    }

    public boolean isClosedByPeer() {
        try {
            return in.read() == -1;
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** Closes with a reset (SO_LINGER 0), as a terminal that loses power or its line does: nothing more reaches it. */
    public void abort() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }
}
