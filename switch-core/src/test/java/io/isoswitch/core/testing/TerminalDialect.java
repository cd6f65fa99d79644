package io.isoswitch.core.testing;

import io.isoswitch.codec.framing.LengthHeader;
import io.isoswitch.codec.spec.Dialects;
import io.isoswitch.codec.spec.MessageSpec;
import io.isoswitch.security.MacAlgorithm;

/**
 * The three terminal dialects as a terminal sees them (docs/terminal-protocol.md): framing,
 * prefix, how the sign-on keys arrive, the MAC algorithm and the codes the switch answers.
 */
public enum TerminalDialect {
    ISO87_BINARY("iso87binary", LengthHeader.BINARY2, new byte[0], MacAlgorithm.ANSI_X9_19, "03", "63"),
    ISO87_ASCII("iso87ascii", LengthHeader.ASCII4, new byte[0], MacAlgorithm.ANSI_X9_19, "03", "63"),
    /** TPDU 60 0003 0000 and the 6-byte header 60 31 00 31 00 01 before every message. */
    CUP_POS("cup-pos", LengthHeader.BINARY2, new byte[] {0x60, 0x00, 0x03, 0x00, 0x00, 0x60, 0x31, 0x00, 0x31, 0x00, 0x01},
            MacAlgorithm.CUP_ECB, "97", "A0");

    private final String configName;
    private final LengthHeader header;
    private final byte[] prefix;
    private final MacAlgorithm mac;
    private final String unknownTerminalCode;
    private final String macFailureCode;

    TerminalDialect(String configName, LengthHeader header, byte[] prefix, MacAlgorithm mac,
                    String unknownTerminalCode, String macFailureCode) {
        this.configName = configName;
        this.header = header;
        this.prefix = prefix;
        this.mac = mac;
        this.unknownTerminalCode = unknownTerminalCode;
        this.macFailureCode = macFailureCode;
    }

    /** The dialect's name in listener and terminal configuration. */
    public String configName() {
        return configName;
    }

    public MessageSpec spec() {
        return Dialects.byName(configName);
    }

    public LengthHeader header() {
        return header;
    }

    public byte[] prefix() {
        return prefix.clone();
    }

    public MacAlgorithm mac() {
        return mac;
    }

    public boolean cup() {
        return this == CUP_POS;
    }

    public String unknownTerminalCode() {
        return unknownTerminalCode;
    }

    public String macFailureCode() {
        return macFailureCode;
    }

    /** A short tag for terminal ids: BIN, ASC or CUP. */
    public String idPrefix() {
        return switch (this) {
            case ISO87_BINARY -> "BIN";
            case ISO87_ASCII -> "ASC";
            case CUP_POS -> "CUP";
        };
    }
}
