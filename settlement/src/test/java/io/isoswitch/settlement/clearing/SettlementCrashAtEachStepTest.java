package io.isoswitch.settlement.clearing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.isoswitch.settlement.Backend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A settle command that dies at each named step of a run (the step's progress report throws, as
 * the process would stop there: the open transaction is rolled back), with transactions still
 * arriving before it is run again: the rerun finishes the date, every row is settled once, the
 * merchant is paid to the minor unit what the sums say, and the files are the bytes a run that
 * never stopped writes.
 */
class SettlementCrashAtEachStepTest {
    private static final LocalDate DAY = LocalDate.of(2026, 11, 25);
    private static final LocalDate NEXT = DAY.plusDays(1);
    private static final String VISA = "476173******0119";

    /** Steps of the claim transaction: a stop there leaves nothing, so a row journaled after it is in the date's run. */
    private static final java.util.Set<String> BEFORE_THE_MARK = java.util.Set.of("fee schedule", "high-water mark");

    @TempDir
    Path out;
    @TempDir
    Path again;

    static Stream<Arguments> steps() {
        return Stream.of(Backend.values()).flatMap(b -> Stream.of("fee schedule", "high-water mark", "deferred (still SENT)",
                "merchant totals", "fees paid", "settled rows", "merchant report lines", "clearing records").map(s -> Arguments.of(b, s)));
    }

    @ParameterizedTest(name = "{0} stops at {1}")
    @MethodSource("steps")
    void aRunStoppedAtAnyStepIsFinishedByTheNextAndSettlesEachRowOnce(Backend backend, String step) throws Exception {
        try (SettlementWorld world = SettlementWorld.open(backend, DAY)) {
            world.merchant("M1", "none");
            world.sale(DAY, "M1", 1_000, VISA, "bank-a");
            world.sale(DAY, "M1", 2_000, VISA, "bank-b");
            world.cutover();
            world.sale(NEXT, "M1", 4_000, VISA, "bank-a");

            SettlementProgress dies = (done, count) -> {
                if (done.equals(step)) {
                    throw new IllegalStateException("killed after " + step);
                }
            };
            assertThatThrownBy(() -> {
                world.settlement.settle(DAY, dies);
                world.files.write(DAY, out, dies);
            }).hasMessageContaining("killed after");

            // still arriving: a node that had not yet seen the cutover, and one that had
            world.sale(DAY, "M1", 500, VISA, "bank-b");
            world.sale(NEXT, "M1", 800, VISA, "bank-a");

            SettlementReport day = world.settlement.settle(DAY, SettlementProgress.NONE);
            world.files.write(DAY, out, SettlementProgress.NONE);
            long dayMinor = BEFORE_THE_MARK.contains(step) ? 3_500 : 3_000;
            assertThat(day.merchants()).extracting(MerchantTotals::salesMinor).containsExactly(dayMinor);
            assertThat(world.settlement.settle(DAY, SettlementProgress.NONE).alreadySettled()).isTrue();

            world.cutover();
            SettlementReport next = world.settlement.settle(NEXT, SettlementProgress.NONE);
            assertThat(next.merchants()).extracting(MerchantTotals::salesMinor).containsExactly(8_300 - dayMinor);
            SettlementRunsAtOnceTest.assertEachRowSettledOnce(world);

            world.files.write(DAY, again, SettlementProgress.NONE);
            assertThat(contents(out.resolve(DAY.toString()))).isEqualTo(contents(again.resolve(DAY.toString())));
            assertThat(contents(out.resolve(DAY.toString())).keySet())
                    .containsExactly("clearing-bank-a.csv", "clearing-bank-b.csv", "merchant-M1.csv");
        }
    }

    private static Map<String, String> contents(Path directory) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> list = Files.list(directory)) {
            for (Path p : list.toList()) {
                files.put(p.getFileName().toString(), Files.readString(p));
            }
        }
        return files;
    }
}
