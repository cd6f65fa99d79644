package io.isoswitch.core.terminal;

import io.isoswitch.core.config.ConfigException;
import io.isoswitch.core.txn.TransactionType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Merchants and terminals from a YAML seed file:
 *
 * <pre>
 * merchants:
 *   - {id: MERCHANT0000001, name: Corner Shop, mcc: "5411", currency: "156", feePlanId: retail}
 * terminals:
 *   - {id: TERM0001, merchantId: MERCHANT0000001, dialect: cup-pos, tmkKeyBlock: "B0096...", allowedTypes: [PURCHASE, BALANCE_INQUIRY]}
 * </pre>
 *
 * TMKs are key blocks under the LMK ({@code iso-switch keys generate --kind TMK}), never clear.
 */
public final class TerminalFile {
    private static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private TerminalFile() {
    }

    /** The file's contents. */
    public record Contents(List<Merchant> merchants, List<TerminalEntry> terminals) {
        public Contents {
            merchants = merchants == null ? List.of() : List.copyOf(merchants);
            terminals = terminals == null ? List.of() : List.copyOf(terminals);
        }
    }

    /** A terminal as written in the file ({@code active} defaults to true). */
    public record TerminalEntry(String id, String merchantId, String dialect, String tmkKeyBlock,
                                Set<TransactionType> allowedTypes, Boolean active) {
        Terminal toTerminal() {
            return new Terminal(id, merchantId, dialect, tmkKeyBlock, allowedTypes, active == null || active);
        }
    }

    /** A directory of the file's merchants and terminals. */
    public static StaticTerminalDirectory load(Path file) {
        return directory(read(file));
    }

    /** The file's merchants and terminals, checked (every terminal's merchant exists). */
    public static Contents read(Path file) {
        try {
            Contents contents = YAML.readValue(Files.readString(file), Contents.class);
            directory(contents);
            return contents;
        } catch (IOException e) {
            throw new ConfigException("cannot read terminals file " + file + ": " + e.getMessage(), e);
        } catch (JacksonException | IllegalArgumentException | NullPointerException e) {
            throw new ConfigException("terminals file " + file + ": " + e.getMessage(), e);
        }
    }

    /** The YAML text for {@code contents} (the demo writes its seed file with it). */
    public static String write(Contents contents) {
        return YAML.writeValueAsString(contents);
    }

    static StaticTerminalDirectory directory(Contents contents) {
        return new StaticTerminalDirectory(contents.merchants(),
                contents.terminals().stream().map(TerminalEntry::toTerminal).toList());
    }
}
