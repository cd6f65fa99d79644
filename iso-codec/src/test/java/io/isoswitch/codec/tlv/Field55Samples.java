package io.isoswitch.codec.tlv;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

/**
 * Field 55 of a public UnionPay qPBOC purchase (the Morefun Android POS SDK sample app's test
 * packet, decoded in /work/shared/cup-pos.md sections 11 and 12): 132 bytes, 18 elements.
 */
final class Field55Samples {
    static final String UNIONPAY_QPBOC_PURCHASE = "9F2608094711AB4B3711709F2701809F101307020103A00000010A010000000000"
            + "B164707D9F370440440D1A9F36021BA0950500000000009A032004179C01009F02060000000000015F2A02015682"
            + "027C009F1A0201569F03060000000000009F3303E0E1C89F3501228408A0000003330101029F090200209F1E08"
            + "6D6639305F303100";

    static final int[] UNIONPAY_QPBOC_PURCHASE_TAGS = {
        0x9F26, 0x9F27, 0x9F10, 0x9F37, 0x9F36, 0x95, 0x9A, 0x9C, 0x9F02,
        0x5F2A, 0x82, 0x9F1A, 0x9F03, 0x9F33, 0x9F35, 0x84, 0x9F09, 0x9F1E,
    };

    private Field55Samples() {
    }

    /** An unpooled heap buffer with the bytes of {@code hex}; heap buffers need no release. */
    static ByteBuf hex(String hex) {
        return Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex));
    }
}
