package io.isoswitch.settlement.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.isoswitch.settlement.batch.UploadReconciliation.HostRow;
import java.util.List;
import java.util.UUID;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

class UploadReconciliationTest {
    private static final byte[] CARD_A = {1};
    private static final byte[] CARD_B = {2};
    private static final UUID ROW_1 = UUID.fromString("00000000-0000-0000-0000-000000000001");
    private static final UUID ROW_2 = UUID.fromString("00000000-0000-0000-0000-000000000002");

    private static UploadLine line(byte[] card, long amount) {
        return new UploadLine("000040", "00", "476173******0119", card, amount);
    }

    private static HostRow row(UUID id, byte[] card, long amount) {
        return new HostRow(id, "000040", amount, "476173******0119", card);
    }

    private static List<Tuple> differences(List<UploadLine> lines, List<HostRow> rows) {
        return UploadReconciliation.differences(lines, rows).stream()
                .map(d -> tuple(d.reason(), d.journalId(), d.terminalAmountMinor(), d.hostAmountMinor())).toList();
    }

    @Test
    void exactPairsAreTakenFirstWhateverTheOrder() {
        List<HostRow> rows = List.of(row(ROW_1, CARD_A, 2_000), row(ROW_2, CARD_B, 1_800));

        assertThat(differences(List.of(line(CARD_B, 1_800), line(CARD_A, 2_000)), rows)).isEmpty();
        assertThat(differences(List.of(line(CARD_A, 2_000), line(CARD_B, 1_800)), rows.reversed())).isEmpty();
    }

    @Test
    void aLineLeftOverPairsWithTheRowOfItsCardBeforeTheRowOfItsAmount() {
        // the line of card B (1 800 at the host) says 2 000: card B's row differs in amount only,
        // card A's row (2 000) in card only, and card A's exact line takes that one first anyway
        List<HostRow> rows = List.of(row(ROW_1, CARD_A, 2_000), row(ROW_2, CARD_B, 1_800));

        assertThat(differences(List.of(line(CARD_B, 2_000), line(CARD_A, 2_000)), rows))
                .containsExactly(tuple(DifferenceReason.AMOUNT_DIFFERS, ROW_2, 2_000L, 1_800L));
        assertThat(differences(List.of(line(CARD_B, 2_000)), rows))
                .containsExactlyInAnyOrder(tuple(DifferenceReason.AMOUNT_DIFFERS, ROW_2, 2_000L, 1_800L),
                        tuple(DifferenceReason.MISSING_AT_TERMINAL, ROW_1, null, 2_000L));
    }

    @Test
    void aPairDifferingInBothIsBothDifferencesAndWhatIsLeftIsMissing() {
        UploadLine wrong = line(CARD_B, 999);

        assertThat(differences(List.of(wrong), List.of(row(ROW_1, CARD_A, 2_000))))
                .containsExactly(tuple(DifferenceReason.AMOUNT_DIFFERS, ROW_1, 999L, 2_000L),
                        tuple(DifferenceReason.CARD_DIFFERS, ROW_1, 999L, 2_000L));
        assertThat(differences(List.of(wrong, line(CARD_A, 5)), List.of()))
                .containsExactlyInAnyOrder(tuple(DifferenceReason.MISSING_AT_HOST, null, 999L, null),
                        tuple(DifferenceReason.MISSING_AT_HOST, null, 5L, null));
    }

    /**
     * A line without a token may be any card: read first, it took card A's row, and card A's own line
     * was then a CARD_DIFFERS against card B's (a review's probe; which one depended on read order).
     */
    @Test
    void linesNamingTheirCardPairBeforeALineThatCouldBeAnyCard() {
        List<HostRow> rows = List.of(row(ROW_1, CARD_A, 2_000), row(ROW_2, CARD_B, 2_000));

        assertThat(differences(List.of(line(null, 2_000), line(CARD_A, 2_000)), rows)).isEmpty();
    }

    /**
     * An outside judge's batch: a purchase of 1 000 and a completion of 400 of one card under one
     * STAN, uploaded as 1 100 and 450. Each line differs from its own row (by 100 and 50), not from
     * the other's: paired first come, 450 was set against 1 000 and 1 100 against 400.
     */
    @Test
    void twoLinesOfOneCardBothOffEachDifferFromTheNearestRow() {
        List<HostRow> rows = List.of(row(ROW_1, CARD_A, 1_000), row(ROW_2, CARD_A, 400));

        assertThat(differences(List.of(line(CARD_A, 1_100), line(CARD_A, 450)), rows))
                .containsExactlyInAnyOrder(tuple(DifferenceReason.AMOUNT_DIFFERS, ROW_1, 1_100L, 1_000L),
                        tuple(DifferenceReason.AMOUNT_DIFFERS, ROW_2, 450L, 400L));
        assertThat(differences(List.of(line(CARD_A, 450), line(CARD_A, 1_100)), rows))
                .containsExactlyInAnyOrder(tuple(DifferenceReason.AMOUNT_DIFFERS, ROW_1, 1_100L, 1_000L),
                        tuple(DifferenceReason.AMOUNT_DIFFERS, ROW_2, 450L, 400L));
    }

    @Test
    void aLineWithoutATokenNeverDiffersInCard() {
        assertThat(differences(List.of(line(null, 2_000)), List.of(row(ROW_1, CARD_A, 2_000)))).isEmpty();
    }
}
