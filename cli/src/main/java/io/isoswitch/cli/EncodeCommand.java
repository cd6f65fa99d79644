package io.isoswitch.cli;

import io.isoswitch.cli.logging.PanMasker;
import io.isoswitch.codec.IsoCodecException;
import io.isoswitch.codec.IsoMessage;
import io.isoswitch.codec.MessageDescriber;
import io.isoswitch.codec.spec.MessageSpec;
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
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * {@code iso-switch encode}: the reverse of {@code decode}. JSON lines in
 * ({@code {"mti":"0200","fields":{"3":"000000"}}}, binary fields as hex, and for a dialect with a
 * header such as {@code cup-pos} a {@code "header"} holding the TPDU and header as hex), one
 * uppercase hex frame per line out. A line that cannot be encoded prints {@code {"error":"..."}} and the run
 * goes on; the exit code is then 1.
 */
@Command(name = "encode", mixinStandardHelpOptions = true,
        description = "Encode JSON lines (as printed by decode) to hex ISO 8583 frames.")
public final class EncodeCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private DialectOption dialect;

    private final InputStream in;

    /** Reads standard input. */
    public EncodeCommand() {
        this(System.in);
    }

    /** Reads {@code in} (for tests). */
    public EncodeCommand(InputStream in) {
        this.in = in;
    }

    @Override
    public Integer call() throws IOException {
        MessageSpec messageSpec = dialect.resolve();
        boolean allEncoded = DialectOption.eachLine(in, StandardCharsets.UTF_8, spec.commandLine().getOut(),
                line -> encodeLine(messageSpec, line));
        return allEncoded ? 0 : 1;
    }

    /** The hex frame for one JSON line, or an {@code {"error": ...}} line. */
    static String encodeLine(MessageSpec messageSpec, String json) {
        try {
            String header = "";
            if (messageSpec.headerLength() > 0) {
                JsonNode root = DecodeCommand.JSON.readTree(json);
                JsonNode node = root == null ? null : root.get("header");
                if (node == null || !node.isString() || node.asString().length() != 2 * messageSpec.headerLength()) {
                    return DecodeCommand.JSON.writeValueAsString(DecodeCommand.error(messageSpec.name() + " needs \"header\": "
                            + messageSpec.headerLength() + " bytes as hex (TPDU and header)"));
                }
                header = HexFormat.of().withUpperCase().formatHex(HexFormat.of().parseHex(node.asString()));
            }
            IsoMessage message = MessageDescriber.fromJson(json);
            return header + HexFormat.of().withUpperCase().formatHex(message.encode(messageSpec));
        } catch (IsoCodecException e) {
            return DecodeCommand.JSON.writeValueAsString(DecodeCommand.error(e.getMessage()));
        } catch (JacksonException | IllegalArgumentException e) {
            // Jackson quotes the token it could not read, which may be a card number or a track: masked like the logs
            return DecodeCommand.JSON.writeValueAsString(DecodeCommand.error("not a JSON message: " + PanMasker.mask(e.getMessage())));
        }
    }
}
