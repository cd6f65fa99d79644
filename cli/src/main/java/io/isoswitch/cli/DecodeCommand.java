package io.isoswitch.cli;

import io.isoswitch.codec.IsoCodecException;
import io.isoswitch.codec.IsoMessage;
import io.isoswitch.codec.MessageDescriber;
import io.isoswitch.codec.spec.MessageSpec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code iso-switch decode}: hex frames in (one per line, no length header; for a dialect with a
 * header such as {@code cup-pos}, the TPDU and header first), one JSON object per line out:
 * {@code {"mti":"0200","fields":{"2":"476173******0119","3":"000000"}}}. Values are what jPOS's
 * {@code ISOMsg.getString} gives; binary fields are uppercase hex; card data is masked unless
 * {@code --unmasked}. A line that cannot be decoded prints {@code {"error":"..."}} and the run
 * goes on; the exit code is then 1. Standard output carries nothing but answers.
 */
@Command(name = "decode", mixinStandardHelpOptions = true,
        description = "Decode hex ISO 8583 frames (one per line on stdin) to JSON lines.")
public final class DecodeCommand implements Callable<Integer> {
    static final ObjectMapper JSON = JsonMapper.builder().build();

    @Spec
    private CommandSpec spec;

    @Mixin
    private DialectOption dialect;

    @Option(names = "--unmasked", description = "Show card data (PAN, tracks, PIN block, EMV data) in clear.")
    private boolean unmasked;

    private final InputStream in;

    /** Reads standard input. */
    public DecodeCommand() {
        this(System.in);
    }

    /** Reads {@code in} (for tests). */
    public DecodeCommand(InputStream in) {
        this.in = in;
    }

    @Override
    public Integer call() throws IOException {
        MessageSpec messageSpec = dialect.resolve();
        boolean allDecoded = DialectOption.eachLine(in, StandardCharsets.US_ASCII, spec.commandLine().getOut(),
                hex -> JSON.writeValueAsString(decodeLine(messageSpec, hex, !unmasked)));
        return allDecoded ? 0 : 1;
    }

    /** The JSON answer for one hex frame: the message, or {@code {"error": ...}}. */
    static ObjectNode decodeLine(MessageSpec messageSpec, String hex, boolean masked) {
        byte[] bytes;
        try {
            bytes = HexFormat.of().parseHex(hex);
        } catch (IllegalArgumentException e) {
            return error("not a hex frame: " + e.getMessage());
        }
        if (bytes.length < messageSpec.headerLength()) {
            return error("frame of " + bytes.length + " bytes is shorter than the " + messageSpec.headerLength()
                    + "-byte header of " + messageSpec.name());
        }
        ByteBuf frame = Unpooled.wrappedBuffer(bytes);
        try {
            frame.skipBytes(messageSpec.headerLength());
            ObjectNode answer = MessageDescriber.toJsonNode(IsoMessage.decode(messageSpec, frame), masked);
            if (messageSpec.headerLength() > 0) {
                ObjectNode withHeader = JSON.createObjectNode();
                withHeader.put("header", HexFormat.of().withUpperCase().formatHex(bytes, 0, messageSpec.headerLength()));
                withHeader.setAll(answer);
                return withHeader;
            }
            return answer;
        } catch (IsoCodecException e) {
            return error(e.getMessage());
        } finally {
            frame.release();
        }
    }

    static ObjectNode error(String message) {
        ObjectNode node = JSON.createObjectNode();
        node.put("error", message);
        return node;
    }
}
