package io.isoswitch.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.codec.spec.Dialects;
import io.isoswitch.codec.spec.MessageSpec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.buffer.UnpooledHeapByteBuf;
import java.util.Arrays;
import org.jpos.iso.ISOException;
import org.jpos.iso.ISOMsg;
import org.jpos.iso.packager.GenericPackager;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs jPOS itself beside our codec on 10,000 random valid messages per jPOS dialect: jPOS's packed
 * bytes decode with our view to exactly what jPOS's {@code getString} gives for every field, and
 * our encoding of the same values is byte-identical to jPOS's {@code pack()}. This is the proof
 * that each built-in spec file matches jPOS's packager XML field for field.
 */
class JposDifferentialTest {
    private static final int MESSAGES = 10_000;

    @ParameterizedTest
    @ValueSource(strings = {"iso87binary", "iso87ascii", "iso93binary"})
    void decodesAndEncodesExactlyAsJpos(String dialect) throws ISOException {
        MessageSpec spec = Dialects.byName(dialect);
        GenericPackager packager = new GenericPackager("jar:packager/" + dialect + ".xml");
        RandomMessages messages = new RandomMessages(spec, dialect.hashCode());
        IsoMessageView view = new IsoMessageView(spec);
        ByteBuf ours = new UnpooledHeapByteBuf(UnpooledByteBufAllocator.DEFAULT, 2048, Integer.MAX_VALUE);
        try {
            compare(spec, packager, messages, view, ours);
        } finally {
            ours.release();
        }
    }

    private static void compare(MessageSpec spec, GenericPackager packager, RandomMessages messages, IsoMessageView view,
            ByteBuf ours) throws ISOException {
        for (int n = 0; n < MESSAGES; n++) {
            IsoMessage message = messages.next();
            ISOMsg jpos = toJpos(message, packager);
            byte[] packed = jpos.pack();

            ours.clear();
            message.encode(spec, ours);
            byte[] encoded = new byte[ours.readableBytes()];
            ours.getBytes(0, encoded);
            if (!Arrays.equals(encoded, packed)) {
                assertThat(Hex.of(encoded)).as("message %d (%s) encodes as jPOS packs it", n, message).isEqualTo(Hex.of(packed));
            }

            ISOMsg unpacked = new ISOMsg();
            unpacked.setPackager(packager);
            unpacked.unpack(packed);
            view.wrap(Unpooled.wrappedBuffer(packed));
            String difference = difference(view, unpacked);
            assertThat(difference).as("message %d (%s) decodes as jPOS unpacks it", n, message).isNull();
        }
    }

    /** The first way the view differs from jPOS's unpacked message, or null (no AssertJ per field: speed). */
    private static String difference(IsoMessageView view, ISOMsg unpacked) throws ISOException {
        if (!view.mtiString().equals(unpacked.getMTI())) {
            return "mti " + view.mtiString() + " vs " + unpacked.getMTI();
        }
        int fields = 0;
        for (int field = 2; field <= 128; field++) {
            if (view.has(field) != unpacked.hasField(field)) {
                return "field " + field + " presence " + view.has(field) + " vs " + unpacked.hasField(field);
            }
            if (unpacked.hasField(field)) {
                fields++;
                if (!view.getString(field).equals(unpacked.getString(field))) {
                    return "field " + field + " value differs";
                }
            }
        }
        return view.fieldCount() == fields ? null : "field count " + view.fieldCount() + " vs " + fields;
    }

    private static ISOMsg toJpos(IsoMessage message, GenericPackager packager) throws ISOException {
        ISOMsg jpos = new ISOMsg(message.mti());
        jpos.setPackager(packager);
        for (int field : message.fields()) {
            byte[] bytes = message.getBytes(field);
            if (bytes != null) {
                jpos.set(field, bytes);
            } else {
                jpos.set(field, message.getString(field));
            }
        }
        return jpos;
    }
}
