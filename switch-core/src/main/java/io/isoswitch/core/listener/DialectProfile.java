package io.isoswitch.core.listener;

import io.isoswitch.codec.framing.Framing;
import io.isoswitch.codec.framing.FramingOptions;
import io.isoswitch.codec.spec.Dialects;
import io.isoswitch.codec.spec.MessageSpec;
import io.isoswitch.core.config.ListenerConfig;
import io.isoswitch.security.MacAlgorithm;

/**
 * What a listener needs to know of its terminals' dialect: the message spec, the framing, and the
 * conventions that differ between ISO 8583:1987 terminals and UnionPay POS terminals.
 *
 * @param name    the dialect name (metrics tag)
 * @param spec    the message spec
 * @param framing the length header and prefix (TPDU and header for cup-pos)
 * @param cup     true for UnionPay POS conventions (field 60 codes, field 62 keys, A0 on MAC failure)
 * @param mac     the MAC its terminals' requests and their answers carry (the listener's {@code mac})
 */
public record DialectProfile(String name, MessageSpec spec, Framing framing, boolean cup, MacAlgorithm mac) {
    public static final String CUP_POS = "cup-pos";

    /** The profile a listener's configuration describes. */
    public static DialectProfile of(ListenerConfig listener) {
        boolean cup = CUP_POS.equals(listener.dialect());
        FramingOptions options = (cup ? FramingOptions.cupPos() : FramingOptions.plain())
                .withMaxFrameLengthBytes(listener.maxFrameBytes())
                .withFrameTimeoutMs(listener.frameTimeoutMs());
        return new DialectProfile(listener.dialect(), Dialects.byName(listener.dialect()),
                Framing.of(listener.framing(), options), cup,
                listener.forgeableMac() ? MacAlgorithm.CUP_ECB : MacAlgorithm.ANSI_X9_19);
    }

    /** The code a terminal of this dialect expects when the switch does not know it. */
    public String unknownTerminalCode() {
        return cup ? io.isoswitch.core.txn.ResponseCodes.TERMINAL_NOT_REGISTERED : io.isoswitch.core.txn.ResponseCodes.INVALID_MERCHANT;
    }

    /**
     * The code for a request from a terminal that must sign on first (never signed on, or its keys
     * retired): UnionPay's 77 "sign on again"; ISO 8583:1987 has none, so 58 "not permitted to
     * terminal" (the terminal cannot transact until it signs on).
     */
    public String signOnRequiredCode() {
        return cup ? "77" : io.isoswitch.core.txn.ResponseCodes.NOT_PERMITTED_TO_TERMINAL;
    }

    /** The code a terminal of this dialect expects when its MAC does not verify. */
    public String macFailureCode() {
        return io.isoswitch.core.txn.ResponseCodes.macFailure(name);
    }
}
