package io.isoswitch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.jpos.iso.ISOMsg;
import org.jpos.iso.packager.GenericPackager;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;

/**
 * The decode and encode subcommands, driven through picocli with redirected streams. The bench
 * messages (copied from the project's bench/message-0200*.hex, packed by jPOS 3.0.1) are checked
 * against jPOS's own getString.
 */
class CodecCommandsTest {

    private static String resource(String name) throws IOException {
        try (InputStream in = CodecCommandsTest.class.getResourceAsStream("/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip();
        }
    }

    private static List<String> run(Object command, String... args) {
        CommandRun run = CommandRun.of(command, args);
        assertThat(run.exitCode()).as("exit code; stderr: %s", run.err()).isZero();
        return run.out().lines().toList();
    }

    private static InputStream lines(String... lines) {
        return new ByteArrayInputStream(String.join("\n", lines).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aMistypedDialectIsAUsageErrorOfEitherCommand() {
        for (Object command : new Object[] {new DecodeCommand(lines("0800")), new EncodeCommand(lines("{}"))}) {
            CommandRun run = CommandRun.of(command, "--dialect", "iso87");
            assertThat(run.exitCode()).isEqualTo(2);
            assertThat(run.err()).contains("--dialect: expected one of").contains("found 'iso87'");
            assertThat(run.out()).isEmpty();
        }
    }

    @Test
    void decodePrintsWhatJposGetStringGivesForEveryField() throws Exception {
        for (String dialect : List.of("iso87binary", "iso87ascii")) {
            String hex = resource(dialect.equals("iso87binary") ? "message-0200.hex" : "message-0200-ascii.hex");
            List<String> output = run(new DecodeCommand(lines(hex)), "--dialect", dialect, "--unmasked");
            assertThat(output).hasSize(1);
            JsonNode json = DecodeCommand.JSON.readTree(output.get(0));

            GenericPackager packager = new GenericPackager("jar:packager/" + dialect + ".xml");
            ISOMsg jpos = new ISOMsg();
            jpos.setPackager(packager);
            jpos.unpack(HexFormat.of().parseHex(hex));
            assertThat(json.get("mti").asString()).isEqualTo(jpos.getMTI());
            assertThat(json.get("fields").propertyNames()).hasSize(countFields(jpos));
            for (int field = 2; field <= 128; field++) {
                if (jpos.hasField(field)) {
                    assertThat(json.get("fields").get(Integer.toString(field)).asString()).as("%s field %d", dialect, field)
                            .isEqualTo(jpos.getString(field));
                }
            }
        }
    }

    private static int countFields(ISOMsg jpos) {
        int count = 0;
        for (int field = 2; field <= 128; field++) {
            count += jpos.hasField(field) ? 1 : 0;
        }
        return count;
    }

    @Test
    void decodeMasksCardDataByDefault() throws Exception {
        String line = run(new DecodeCommand(lines(resource("message-0200.hex"))), "--dialect", "iso87binary").get(0);
        assertThat(line).startsWith("{\"mti\":\"0200\",\"fields\":{\"2\":\"476173******0119\",\"3\":\"000000\"")
                .doesNotContain("4761739001010119");
    }

    @Test
    void decodeReportsABadLineGoesOnAndExitsOne() throws Exception {
        String good = resource("message-0200.hex");
        CommandRun run = CommandRun.of(new DecodeCommand(lines("0200ZZ", good.substring(0, 40), "", good)), "--dialect", "iso87binary");
        List<String> output = run.out().lines().toList();
        assertThat(run.exitCode()).as("a script piping traces must see that a line failed").isEqualTo(1);
        assertThat(output).hasSize(3);
        assertThat(output.get(0)).startsWith("{\"error\":\"not a hex frame");
        assertThat(output.get(1)).startsWith("{\"error\":\"field ");
        assertThat(output.get(2)).startsWith("{\"mti\":\"0200\"");
    }

    @Test
    void decodesAUnionPayFrameWithItsTpduAndHeader() throws Exception {
        String line = run(new DecodeCommand(lines(resource("cup-purchase-qpboc-0200.hex"))), "--dialect", "cup-pos").get(0);
        JsonNode json = DecodeCommand.JSON.readTree(line);
        assertThat(json.get("header").asString()).isEqualTo("6000040000612100311000");
        assertThat(json.get("fields").get("4").asString()).isEqualTo("000000000001");
        assertThat(json.get("fields").get("2").asString()).isEqualTo("625965******7599");
    }

    @Test
    void encodeReversesDecodeByteForByte() throws Exception {
        for (String[] sample : new String[][] {
            {"iso87binary", resource("message-0200.hex")},
            {"iso87ascii", resource("message-0200-ascii.hex")},
            {"cup-pos", resource("cup-purchase-qpboc-0200.hex")}}) {
            String json = run(new DecodeCommand(lines(sample[1])), "--dialect", sample[0], "--unmasked").get(0);
            List<String> hex = run(new EncodeCommand(lines(json)), "--dialect", sample[0]);
            assertThat(hex).containsExactly(sample[1].toUpperCase(Locale.ROOT));
        }
    }

    @Test
    void encodeReportsAValueTheSpecRejectsAndExitsOne() {
        CommandRun run = CommandRun.of(new EncodeCommand(lines("{\"mti\":\"0200\",\"fields\":{\"4\":\"12AB\"}}", "not json")),
                "--dialect", "iso87binary");
        List<String> output = run.out().lines().toList();
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(output).hasSize(2);
        assertThat(output.get(0)).startsWith("{\"error\":\"field 4").contains("digits");
        assertThat(output.get(1)).startsWith("{\"error\":\"not a JSON message");
    }

    /** Regression: Jackson names the token it could not read, and encode printed it whole (a PAN, a track 2). */
    @Test
    void encodeMasksTheCardNumberJacksonQuotesInItsError() {
        CommandRun run = CommandRun.of(new EncodeCommand(lines(
                "{\"mti\":\"0200\",\"fields\":{\"2\":a4761739001010119}}",
                "4761739001010119=28122011230000")), "--dialect", "iso87binary");
        List<String> output = run.out().lines().toList();
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(output).hasSize(2).allSatisfy(line -> assertThat(line).startsWith("{\"error\":\"not a JSON message")
                .doesNotContain("4761739001010119").doesNotContain("739001"));
    }

    @Test
    void mainRegistersBothSubcommands() {
        CommandLine main = new CommandLine(new Main());
        assertThat(main.getSubcommands()).containsKeys("decode", "encode");
    }

    @Test
    void anUnknownDialectIsAUsageErrorNamingTheBuiltInOnes() {
        for (Object command : List.of(new DecodeCommand(lines("0800")), new EncodeCommand(lines("{}")))) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int exit = new CommandLine(command).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                    .execute("--dialect", "iso87");

            assertThat(exit).isEqualTo(2);
            assertThat(err.toString()).contains("--dialect: expected one of iso87binary, iso87ascii, iso93binary, cup-pos,"
                    + " found 'iso87'").doesNotContain("Exception");
            assertThat(out.toString()).isEmpty();
        }
    }
}
