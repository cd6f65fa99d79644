package io.isoswitch.sim.terminal;

import io.isoswitch.codec.IsoCodecException;
import io.isoswitch.codec.IsoMessage;
import io.isoswitch.codec.spec.MessageSpec;
import io.isoswitch.security.HsmException;
import io.isoswitch.security.SecureKey;
import io.isoswitch.sim.wire.FramedSocket;
import io.isoswitch.sim.wire.MessageMacs;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * A terminal's request/answer exchange on its connection: sends a request (MACed under the TAK when
 * one is given), then reads until the answer with the response MTI and the request's STAN arrives
 * or the timeout passes; late, duplicated and undecodable frames on the way are skipped. Also
 * checks the MAC of an answer.
 */
final class TerminalLink implements AutoCloseable {
    /** An answer as decoded and as received (the MAC is checked over the bytes). */
    record Received(IsoMessage message, byte[] body) {
    }

    private final TerminalConfig config;
    private final TerminalDialect dialect;
    private final MessageSpec spec;
    private final FramedSocket socket;

    TerminalLink(TerminalConfig config, FramedSocket socket) {
        this.config = config;
        this.dialect = config.dialect();
        this.spec = dialect.spec();
        this.socket = socket;
    }

    /** Sends {@code request} (MACed when {@code tak} is not null) and waits for its answer. */
    Optional<Received> exchange(IsoMessage request, SecureKey tak) {
        byte[] body = tak != null
                ? MessageMacs.encodeSigned(request, spec, block -> config.hsm().generateMac(tak, dialect.macAlgorithm(),
                        block, 0, block.length))
                : request.encode(spec);
        socket.send(body);
        String expectedMti = responseMti(request.mti());
        String stan = request.getString(11);
        long deadline = System.nanoTime() + config.timeout().toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return Optional.empty();
            }
            Optional<byte[]> received = socket.receive(Duration.ofNanos(left));
            if (received.isEmpty()) {
                return Optional.empty();
            }
            try {
                IsoMessage message = IsoMessage.decode(spec, received.get());
                if (message.mti().equals(expectedMti) && stan.equals(message.getString(11))) {
                    return Optional.of(new Received(message, received.get()));
                }
            } catch (IsoCodecException e) {
                // garbage on the line is skipped, as a terminal's parser would drop it
            }
        }
    }

    /** True when the answer carries no MAC, or a MAC that verifies under {@code tak}. */
    boolean macVerifies(byte[] body, SecureKey tak) {
        byte[] block = MessageMacs.macBlock(body, spec);
        if (block == null) {
            return true;
        }
        if (tak == null) {
            return false;
        }
        try {
            return config.hsm().verifyMac(tak, dialect.macAlgorithm(), block, 0, block.length, MessageMacs.mac(body, spec));
        } catch (HsmException e) {
            return false;
        }
    }

    private static String responseMti(String requestMti) {
        int mti = Integer.parseInt(requestMti);
        return String.format(Locale.ROOT, "%04d", mti - mti % 10 + 10);
    }

    @Override
    public void close() {
        socket.close();
    }
}
