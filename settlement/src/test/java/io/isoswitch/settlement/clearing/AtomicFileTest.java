package io.isoswitch.settlement.clearing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file put in place whole or not at all, also when two writers (two settle commands of one date) write it at once. */
class AtomicFileTest {
    @TempDir
    Path directory;

    /**
     * Regression: both writers used one temporary name, so the second truncated and wrote into the
     * file the first was writing; the first renamed it into place, the second went on writing into
     * the clearing file now in place (its bytes over the first's, the first's tail behind them)
     * and then failed to rename a temporary file that was gone.
     */
    @Test
    void twoWritersOfOneTargetEachPutAWholeFileInPlace() throws IOException {
        Path target = directory.resolve("clearing-bank-a.csv");
        try (AtomicFile first = new AtomicFile(target); AtomicFile second = new AtomicFile(target)) {
            first.line("D,first,1");
            first.line("D,first,2");
            first.line("T,first,3");
            second.line("T,second");
            first.commit();
            assertThat(Files.readString(target)).isEqualTo("D,first,1\nD,first,2\nT,first,3\n");
            second.commit();
        }
        assertThat(Files.readString(target)).isEqualTo("T,second\n");
        try (Stream<Path> left = Files.list(directory)) {
            assertThat(left).containsExactly(target);
        }
    }

    @Test
    void aFileClosedUncommittedLeavesTheEarlierVersionAndNoTemporaryFile() throws IOException {
        Path target = directory.resolve("merchant-M1.csv");
        Files.writeString(target, "earlier\n");
        try (AtomicFile file = new AtomicFile(target)) {
            file.line("half");
        }
        assertThat(Files.readString(target)).isEqualTo("earlier\n");
        try (Stream<Path> left = Files.list(directory)) {
            assertThat(left).containsExactly(target);
        }
    }
}
