package io.isoswitch.sim.terminal;

import io.isoswitch.codec.framing.LengthHeader;
import io.isoswitch.codec.spec.Dialects;
import io.isoswitch.codec.spec.MessageSpec;
import io.isoswitch.security.MacAlgorithm;
import java.util.HexFormat;

/**
 * The dialects a simulated terminal speaks, with their framing and the conventions that differ:
 * where network management codes go (field 70, or UnionPay field 60.3), how working keys arrive
 * (hex in text field 62, or bytes in binary field 62), and the MAC algorithm.
 */
public enum TerminalDialect {
    /** ISO 8583:1987 BCD, 2-byte binary length; network codes in field 70; X9.19 MAC. */
    ISO87_BINARY("iso87binary", LengthHeader.BINARY2, new byte[0], MacAlgorithm.ANSI_X9_19),
    /** ISO 8583:1987 ASCII, 4-digit ASCII length; otherwise as iso87binary. */
    ISO87_ASCII("iso87ascii", LengthHeader.ASCII4, new byte[0], MacAlgorithm.ANSI_X9_19),
    /**
     * China UnionPay POS: 2-byte length, TPDU {@code 6000030000} and header {@code 603100000000}
     * before the body; codes in field 60; keys as bytes in field 62; the CUP-ECB MAC.
     */
    CUP_POS("cup-pos", LengthHeader.BINARY2, HexFormat.of().parseHex("6000030000" + "603100000000"),
            MacAlgorithm.CUP_ECB);

    private final String specName;
    private final LengthHeader header;
    private final byte[] prefix;
    private final MacAlgorithm mac;

    TerminalDialect(String specName, LengthHeader header, byte[] prefix, MacAlgorithm mac) {
        this.specName = specName;
        this.header = header;
        this.prefix = prefix;
        this.mac = mac;
    }

    /** The dialect's name, as the codec and configuration call it. */
    public String specName() {
        return specName;
    }

    /** The codec's spec of the dialect. */
    public MessageSpec spec() {
        return Dialects.byName(specName);
    }

    /** The length header on the stream. */
    public LengthHeader header() {
        return header;
    }

    /** Bytes before every body (TPDU and header for cup-pos). */
    public byte[] prefix() {
        return prefix.clone();
    }

    /** The MAC algorithm under the TAK. */
    public MacAlgorithm macAlgorithm() {
        return mac;
    }

    /** True for cup-pos. */
    public boolean isCup() {
        return this == CUP_POS;
    }

    /** The dialect named {@code name} ({@code iso87binary}, {@code iso87ascii}, {@code cup-pos}). */
    public static TerminalDialect named(String name) {
        for (TerminalDialect dialect : values()) {
            if (dialect.specName.equals(name)) {
                return dialect;
            }
        }
        throw new IllegalArgumentException("dialect: expected iso87binary, iso87ascii or cup-pos, found '" + name + "'");
    }
}
