package io.isoswitch.sim.wire;

import io.isoswitch.codec.framing.LengthHeader;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/**
 * A simulated peer's end of a framed TCP connection, blocking: each frame is a length header
 * ({@code binary2} or {@code ascii4}) counting a fixed prefix (the {@code cup-pos} TPDU and header,
 * or nothing) plus the ISO 8583 body. Meant for one thread at a time per socket (a simulated
 * terminal, a test's scripted switch), and cheap on virtual threads. Not thread-safe.
 */
public final class FramedSocket implements Closeable {
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final LengthHeader header;
    private final byte[] prefix;
    private byte[] lastPrefix = new byte[0];

    private FramedSocket(Socket socket, LengthHeader header, byte[] prefix) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
        this.header = header;
        this.prefix = prefix.clone();
    }

    /**
     * Connects to {@code host:port}, framing with {@code header} ({@code BINARY2} or {@code ASCII4})
     * and putting {@code prefix} before every body sent.
     */
    public static FramedSocket connect(String host, int port, LengthHeader header, byte[] prefix, Duration timeout) {
        if (header == LengthHeader.BCD2) {
            throw new IllegalArgumentException("header: the simulators frame with binary2 or ascii4, found bcd2");
        }
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            return new FramedSocket(socket, header, prefix);
        } catch (IOException e) {
            closeQuietly(socket);
            throw new UncheckedIOException("connect to " + host + ":" + port + " failed", e);
        }
    }

    /** The framed end of an accepted connection (a scripted server's side). */
    public static FramedSocket wrap(Socket socket, LengthHeader header, byte[] prefix) {
        try {
            socket.setTcpNoDelay(true);
            return new FramedSocket(socket, header, prefix);
        } catch (IOException e) {
            closeQuietly(socket);
            throw new UncheckedIOException("accepted connection failed", e);
        }
    }

    /** Sends one frame: length header, prefix, body. */
    public void send(byte[] body) {
        int length = prefix.length + body.length;
        byte[] frame = new byte[header.size() + length];
        if (header == LengthHeader.BINARY2) {
            frame[0] = (byte) (length >>> 8);
            frame[1] = (byte) length;
        } else {
            System.arraycopy(String.format(java.util.Locale.ROOT, "%04d", length).getBytes(StandardCharsets.US_ASCII), 0,
                    frame, 0, 4);
        }
        System.arraycopy(prefix, 0, frame, header.size(), prefix.length);
        System.arraycopy(body, 0, frame, header.size() + prefix.length, body.length);
        sendRaw(frame);
    }

    /** Writes bytes as they are, without a header (to send garbage on purpose). */
    public void sendRaw(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("send failed", e);
        }
    }

    /**
     * The body of the next frame, or empty when none arrives within {@code timeout}.
     *
     * @throws PeerClosedException when the peer closed the connection
     */
    public Optional<byte[]> receive(Duration timeout) {
        try {
            socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
            int length = readLength();
            byte[] frame = new byte[length];
            socket.setSoTimeout(0);
            in.readFully(frame);
            if (length < prefix.length) {
                throw new IllegalStateException("frame: expected at least " + prefix.length + " bytes of prefix, found "
                        + length);
            }
            lastPrefix = Arrays.copyOf(frame, prefix.length);
            return Optional.of(Arrays.copyOfRange(frame, prefix.length, length));
        } catch (SocketTimeoutException e) {
            return Optional.empty();
        } catch (EOFException e) {
            throw new PeerClosedException();
        } catch (IOException e) {
            if (socket.isClosed()) {
                throw new PeerClosedException();
            }
            throw new PeerClosedException(e);
        }
    }

    /** The prefix (TPDU and header) of the last frame received. */
    public byte[] lastPrefix() {
        return lastPrefix.clone();
    }

    /** True until this end is closed. */
    public boolean isOpen() {
        return !socket.isClosed();
    }

    private int readLength() throws IOException {
        if (header == LengthHeader.BINARY2) {
            return in.readUnsignedShort();
        }
        byte[] digits = new byte[4];
        in.readFully(digits);
        String text = new String(digits, StandardCharsets.US_ASCII);
        if (!text.chars().allMatch(Character::isDigit)) {
            throw new IllegalStateException("frame: expected a 4-digit ASCII length");
        }
        return Integer.parseInt(text);
    }

    @Override
    public void close() {
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing a socket that failed: nothing to do, nothing to report
        }
    }

    /** The peer closed the connection (or it broke) while a frame was awaited. */
    public static final class PeerClosedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public PeerClosedException() {
            super("peer closed the connection");
        }

        public PeerClosedException(Throwable cause) {
            super("connection broke: " + cause.getMessage(), cause);
        }
    }
}
