package io.isoswitch.core.listener;

import io.isoswitch.codec.IsoMessageWriter;
import io.isoswitch.codec.spec.MessageSpec;
import io.isoswitch.core.txn.ResponseCodes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.Map;
import java.util.TreeMap;

/**
 * The answer to a request that did not decode but whose MTI (and perhaps STAN) could be read:
 * response MTI, the STAN if known, and response code 30. It cannot echo more, since nothing
 * else of the request is trustworthy.
 */
final class FormatErrorAnswer {
    private FormatErrorAnswer() {
    }

    static ByteBuf compose(MessageSpec spec, int requestMti, Map<Integer, Object> known, ByteBufAllocator alloc) {
        ByteBuf out = alloc.buffer(64);
        try {
            IsoMessageWriter writer = new IsoMessageWriter(spec).begin(out, ResponseMti.of(requestMti));
            TreeMap<Integer, Object> fields = new TreeMap<>(known);
            fields.put(39, ResponseCodes.FORMAT_ERROR);
            fields.forEach((field, value) -> writer.field(field, value.toString()));
            writer.finish();
            return out;
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
    }
}
