package io.isoswitch.core.testing;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.codec.spec.MessageSpec;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;

/**
 * A blocking test client speaking 2-byte binary length framing (with an optional fixed prefix such
 * as the UnionPay TPDU and header), so listener tests talk to the switch over real TCP without
 * sharing its Netty code.
 */
public final class TestTerminalClient implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final MessageSpec spec;
    private final byte[] prefix;

    public TestTerminalClient(int port, MessageSpec spec, byte[] prefix) throws IOException {
        this.socket = new Socket("127.0.0.1", port);
        this.socket.setSoTimeout(10_000);
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
        this.spec = spec;
        this.prefix = prefix;
    }

    /** Sends raw body bytes (after the length header and prefix) and returns the answer's body. */
    public byte[] exchangeRaw(byte[] body) throws IOException {
        sendRaw(body);
        return readBody();
    }

    public void sendRaw(byte[] body) throws IOException {
        int length = prefix.length + body.length;
        byte[] frame = new byte[2 + length];
        frame[0] = (byte) (length >>> 8);
        frame[1] = (byte) length;
        System.arraycopy(prefix, 0, frame, 2, prefix.length);
        System.arraycopy(body, 0, frame, 2 + prefix.length, body.length);
        out.write(frame);
        out.flush();
    }

    /** The next answer's prefix and body as received. */
    public byte[] readFrame() throws IOException {
        int length = in.readUnsignedShort();
        byte[] frame = new byte[length];
        in.readFully(frame);
        return frame;
    }

    public byte[] readBody() throws IOException {
        byte[] frame = readFrame();
        return java.util.Arrays.copyOfRange(frame, prefix.length, frame.length);
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
}
