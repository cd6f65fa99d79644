package io.isoswitch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's first command, on free ports: the demo runs its load through the switch and stops by itself. */
class DemoCommandTest {
    @TempDir
    Path dir;

    @Test
    void theDemoApprovesTrafficFromEveryDialectAndKeepsTheLedgersWhole() throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        int exit;
        try (PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
            System.setOut(out);
            exit = Main.run("demo", "--data", dir.toString(), "--port-base", "0", "--load-seconds", "3", "--duration", "3",
                    "--terminals-per-dialect", "1");
        } finally {
            System.setOut(original);
        }
        String text = captured.toString(StandardCharsets.UTF_8);
        assertThat(exit).isZero();
        Matcher approved = Pattern.compile("(?m)^\\s+00\\s+([\\d,]+)$").matcher(text);
        assertThat(approved.find()).as("an approved count in:%n%s", text).isTrue();
        assertThat(Long.parseLong(approved.group(1).replace(",", ""))).isPositive();
        assertThat(text).doesNotContain("MAC_FAILED").doesNotContain("error:");
        assertThat(text).contains("bank-a ledger: every balance = opening + entries")
                .contains("bank-b ledger: every balance = opening + entries");
        assertThat(Files.readString(dir.resolve("demo-credentials.txt"))).contains("DEMO0001").contains("PIN");
    }
}
