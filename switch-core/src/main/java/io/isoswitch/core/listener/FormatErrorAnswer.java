package io.isoswitch.core.listener;

import io.isoswitch.codec.IsoCodecException;
import io.isoswitch.codec.IsoMessageView;
import io.isoswitch.codec.IsoMessageWriter;
import io.isoswitch.codec.spec.MessageSpec;
import io.isoswitch.core.txn.ResponseCodes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * The answer to a request that did not decode but whose MTI (and perhaps STAN) could be read:
 * response MTI, the STAN if known, response code 30, and the terminal id (41) as it came when the
 * frame's layout decoded and only a field's content was bad (letters in a numeric field). Where
 * the layout did not decode, nothing after the failure is where the bitmap says, so nothing more
 * is echoed. The terminal id matters to whoever matches answers by terminal and STAN, as a
 * terminal gateway with many terminals on one connection must: STANs are only unique per terminal.
 */
final class FormatErrorAnswer {
    private static final int STAN = 11;
    private static final int TERMINAL_ID = 41;

    private FormatErrorAnswer() {
    }

    /**
     * @param failure  why the request did not decode (its MTI and STAN where they were read)
     * @param laidOut  the request's view when its layout decoded (only {@code validate()} failed), else null;
     *                 read here before the caller releases the frame
     */
    static ByteBuf compose(MessageSpec spec, IsoCodecException failure, IsoMessageView laidOut, ByteBufAllocator alloc) {
        ByteBuf out = alloc.buffer(64);
        try {
            IsoMessageWriter writer = new IsoMessageWriter(spec).begin(out, ResponseMti.of(Integer.parseInt(failure.mti())));
            if (failure.stan() != null) {
                writer.field(STAN, failure.stan());
            }
            writer.field(39, ResponseCodes.FORMAT_ERROR);
            if (laidOut != null && laidOut.has(TERMINAL_ID) && !String.valueOf(TERMINAL_ID).equals(failure.fieldPath())) {
                writer.copy(laidOut, TERMINAL_ID);
            }
            writer.finish();
            return out;
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
    }
}
