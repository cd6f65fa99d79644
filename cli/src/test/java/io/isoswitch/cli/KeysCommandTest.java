package io.isoswitch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class KeysCommandTest {
    private static final Pattern KEY_BLOCK = Pattern.compile("key block: (\\S+)");
    private static final Pattern KCV = Pattern.compile("(?m)^kcv:\\s+([0-9A-F]{6})");

    @TempDir
    Path dir;

    private static CommandRun run(Map<String, String> environment, String... args) {
        return CommandRun.of(new CommandLine(new KeysCommand(environment)).setCaseInsensitiveEnumValuesAllowed(true), args);
    }

    private CommandRun keys(String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--lmk";
        all[args.length + 1] = dir.resolve("lmk.key").toString();
        return run(Map.of(), all);
    }

    private static String group(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        assertThat(matcher.find()).as("%s in %s", pattern, text).isTrue();
        return matcher.group(1);
    }

    @Test
    void initCreatesAnOwnerOnlyLmkAndRefusesToOverwriteIt() throws Exception {
        CommandRun first = keys("init");
        assertThat(first.exitCode()).isZero();
        assertThat(first.out()).contains("LMK created: " + dir.resolve("lmk.key")).containsPattern("kcv:\\s+[0-9A-F]{6}");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("lmk.key")))).isEqualTo("rw-------");
        CommandRun second = keys("init");
        assertThat(second.exitCode()).isEqualTo(1);
        assertThat(second.err()).contains("already exists");
    }

    @Test
    void generatePrintsAKeyBlockAndItsCheckValueWhichKcvConfirms() {
        keys("init");
        CommandRun generated = keys("generate", "--kind", "zpk", "--algorithm", "tdes_2key");
        assertThat(generated.exitCode()).isZero();
        String block = group(KEY_BLOCK, generated.out());
        assertThat(block).startsWith("D");
        CommandRun kcv = keys("kcv", block);
        assertThat(kcv.out()).contains("kind:      ZPK").contains(group(KCV, generated.out()));
    }

    @Test
    void formsAKeyFromComponentsShowingOnlyCheckValues() {
        keys("init");
        CommandRun formed = keys("form", "--kind", "ZMK", "--component", "0123456789ABCDEF0000000000000000",
                "--component", "0000000000000000FEDCBA9876543210");
        assertThat(formed.exitCode()).isZero();
        assertThat(formed.out()).contains("component 1 kcv:").contains("component 2 kcv:");
        assertThat(group(KCV, formed.out())).isEqualTo("08D7B4");
        assertThat(formed.out()).doesNotContain("0123456789ABCDEFFEDCBA9876543210").doesNotContain("0123456789ABCDEF0000");
    }

    @Test
    void generatesAClearComponentWithItsCheckValueForACustodian() {
        CommandRun component = keys("generate", "--component", "--algorithm", "AES_128");
        assertThat(component.exitCode()).isZero();
        assertThat(component.out()).containsPattern("component: [0-9A-F]{32}").containsPattern("kcv:\\s+[0-9A-F]{6}");
    }

    @Test
    void exportsUnderAZmkAndImportsBackWithTheCheckValue() {
        keys("init");
        String zmk = group(KEY_BLOCK, keys("generate", "--kind", "ZMK").out());
        CommandRun zpk = keys("generate", "--kind", "ZPK");
        String zpkBlock = group(KEY_BLOCK, zpk.out());
        CommandRun exported = keys("export", zpkBlock, "--kek", zmk);
        assertThat(exported.exitCode()).isZero();
        String cryptogram = group(Pattern.compile("cryptogram: ([0-9A-F]{32})"), exported.out());
        String checkValue = group(Pattern.compile("kcv:\\s+([0-9A-F]{8})"), exported.out());
        CommandRun imported = keys("import", "--kek", zmk, "--kind", "ZPK", "--cryptogram", cryptogram, "--kcv", checkValue);
        assertThat(imported.exitCode()).isZero();
        assertThat(group(KCV, imported.out())).isEqualTo(group(KCV, zpk.out()));
        // an ECB cryptogram without its check value (or with a shortened one) is not taken on trust
        for (String[] unchecked : new String[][] {{}, {"--kcv", checkValue.substring(0, 4)}}) {
            String[] args = java.util.stream.Stream.concat(
                    java.util.stream.Stream.of("import", "--kek", zmk, "--kind", "ZPK", "--cryptogram", cryptogram),
                    java.util.Arrays.stream(unchecked)).toArray(String[]::new);
            CommandRun blind = keys(args);
            assertThat(blind.exitCode()).isEqualTo(1);
            assertThat(blind.err()).contains("--kcv with at least 6 hex digits is required");
        }
        CommandRun refused = keys("import", "--kek", zmk, "--kind", "ZPK", "--cryptogram", cryptogram, "--kcv", "000000");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("check value does not match");
        CommandRun tr31 = keys("export", zpkBlock, "--kek", zmk, "--tr31");
        String partnerBlock = group(Pattern.compile("tr31: (\\S+)"), tr31.out());
        assertThat(partnerBlock).startsWith("B");
        assertThat(group(KCV, keys("import", "--kek", zmk, "--tr31", partnerBlock).out())).isEqualTo(group(KCV, zpk.out()));
    }

    @Test
    void findsTheLmkThroughTheEnvironment() {
        Path file = dir.resolve("env-lmk.key");
        CommandRun init = run(Map.of("ISO_SWITCH_LMK", file.toString()), "init");
        assertThat(init.exitCode()).isZero();
        assertThat(Files.exists(file)).isTrue();
        CommandRun generated = run(Map.of("ISO_SWITCH_LMK", file.toString()), "generate", "--kind", "TAK");
        assertThat(generated.exitCode()).isZero();
        CommandRun elsewhere = run(Map.of("ISO_SWITCH_LMK_VALUE", "00".repeat(32)), "kcv", group(KEY_BLOCK, generated.out()));
        assertThat(elsewhere.exitCode()).isEqualTo(1);
        assertThat(elsewhere.err()).contains("MAC does not verify");
    }

    @Test
    void rewrapMovesEveryKeyBlockOfAFileToTheNewLmkAndLeavesTheRestAsItWas() throws Exception {
        keys("init");
        CommandRun zmk = keys("generate", "--kind", "ZMK");
        CommandRun tmk = keys("generate", "--kind", "TMK");
        String zmkBlock = group(KEY_BLOCK, zmk.out());
        String tmkBlock = group(KEY_BLOCK, tmk.out());
        Path newLmk = dir.resolve("lmk-next.key");
        assertThat(run(Map.of(), "init", "--lmk", newLmk.toString()).exitCode()).isZero();
        Path config = dir.resolve("switch.yaml");
        String foreign = group(KEY_BLOCK, run(Map.of("ISO_SWITCH_LMK_VALUE", "00".repeat(32)), "generate", "--kind", "ZPK").out());
        Files.writeString(config, "issuers:\n  - issuerId: bank-a\n    zmkKeyBlock: " + zmkBlock + "\n"
                + "terminals:\n  - {id: T1, tmkKeyBlock: \"" + tmkBlock + "\"}\n# someone else's: " + foreign + "\n");
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-------"));

        CommandRun rewrap = keys("rewrap", "--to-lmk", newLmk.toString(), config.toString());

        assertThat(rewrap.exitCode()).as(rewrap.err()).isZero();
        assertThat(rewrap.out()).contains(config + ": 2 key block(s) re-wrapped, 1 left (not under the current LMK)");
        String text = Files.readString(config);
        assertThat(text).doesNotContain(zmkBlock).doesNotContain(tmkBlock).contains("# someone else's: " + foreign)
                .startsWith("issuers:\n  - issuerId: bank-a\n    zmkKeyBlock: D");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config))).isEqualTo("rw-------");
        String movedZmk = group(Pattern.compile("zmkKeyBlock: (\\S+)"), text);
        CommandRun underNew = run(Map.of(), "kcv", movedZmk, "--lmk", newLmk.toString());
        assertThat(underNew.out()).as("the same key, now under the new LMK").contains("kind:      ZMK").contains(group(KCV, zmk.out()));
        assertThat(keys("kcv", movedZmk).exitCode()).as("no longer under the old LMK").isEqualTo(1);
        assertThat(keys("rewrap", "--to-lmk", dir.resolve("lmk.key").toString(), config.toString()).err())
                .as("the same LMK twice").contains("the new LMK is the old one");
    }

    @Test
    void theKeysCommandIsRegisteredInMain() {
        assertThat(new CommandLine(new Main()).getSubcommands()).containsKey("keys");
    }
}
