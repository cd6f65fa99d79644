package io.isoswitch.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.settlement.saf.SafRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OwedReversalsFileTest {
    @TempDir
    Path dir;

    @Test
    void whatWasOwedAndNotSettledIsReadBackInOrder() {
        Path path = dir.resolve("owed.txt");
        OwedReversalsFile file = new OwedReversalsFile(path);
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        UUID third = UUID.randomUUID();
        file.owed(first, SafRequest.reversal("bank-a", "96", 2_500, "156"));
        file.owed(second, SafRequest.reversal("bank-b", "96", 100, "840"));
        file.owed(third, SafRequest.reversal("bank-a", "96", 7, "156"));
        file.settled(second);

        Map<UUID, SafRequest> left = new OwedReversalsFile(path).read();
        assertThat(left.keySet()).containsExactly(first, third);
        assertThat(left.get(first)).isEqualTo(SafRequest.reversal("bank-a", "96", 2_500, "156"));
    }

    @Test
    void aChipReversalKeepsItsChipDataAcrossARestart() {
        Path path = dir.resolve("owed.txt");
        UUID owed = UUID.randomUUID();
        byte[] chip = java.util.HexFormat.of().parseHex("9F2608112233445566778895050000008000");
        new OwedReversalsFile(path).owed(owed, SafRequest.reversal("bank-a", "96", 2_500, "156", chip));

        assertThat(new OwedReversalsFile(path).read().get(owed)).isEqualTo(SafRequest.reversal("bank-a", "96", 2_500, "156", chip));
    }

    @Test
    void aLineTornByAKillIsSkipped() throws Exception {
        Path path = dir.resolve("owed.txt");
        UUID owed = UUID.randomUUID();
        new OwedReversalsFile(path).owed(owed, SafRequest.reversal("bank-a", "96", 2_500, "156"));
        Files.writeString(path, "owed " + UUID.randomUUID() + " bank-a 9", StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        assertThat(new OwedReversalsFile(path).read()).containsOnlyKeys(owed);
    }

    @Test
    void rewritingKeepsOnlyWhatIsOwedAndLaterLinesAppendToIt() {
        Path path = dir.resolve("sub").resolve("owed.txt");
        OwedReversalsFile file = new OwedReversalsFile(path);
        UUID settled = UUID.randomUUID();
        UUID owed = UUID.randomUUID();
        file.owed(settled, SafRequest.reversal("bank-a", "96", 1, "156"));
        file.owed(owed, SafRequest.reversal("bank-a", "96", 2, "156"));
        file.settled(settled);

        OwedReversalsFile restarted = new OwedReversalsFile(path);
        restarted.rewrite(restarted.read());
        UUID later = UUID.randomUUID();
        restarted.owed(later, SafRequest.reversal("bank-a", "96", 3, "156"));

        assertThat(new OwedReversalsFile(path).read()).containsOnlyKeys(owed, later);
        assertThat(new OwedReversalsFile(dir.resolve("none.txt")).read()).isEmpty();
    }

    @Test
    void aStartWithNothingOwedMakesNoFile() {
        Path path = dir.resolve("never.txt");
        OwedReversalsFile file = new OwedReversalsFile(path);
        file.rewrite(file.read());
        assertThat(path).doesNotExist();
    }
}
