package io.isoswitch.settlement.batch;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * Pairs a batch's uploaded lines with its counted journal rows and names each difference. A STAN
 * does not name one transaction: a terminal may use one STAN for a 0200 and a 0220 of the same
 * batch (the journal's key includes the message class), or on two business days of one batch. So,
 * within each STAN, lines and rows are paired in rounds, the closest first, and a line or row is
 * paired once:
 *
 * <pre>
 * round 1  amount and card equal     a match, no difference
 * round 2  card equal, amount not    AMOUNT_DIFFERS
 * round 3  amount equal, card not    CARD_DIFFERS
 * round 4  neither                   AMOUNT_DIFFERS and CARD_DIFFERS
 * left     a line                    MISSING_AT_HOST
 *          a row                     MISSING_AT_TERMINAL
 * </pre>
 *
 * <p>A line without a token (the switch could not compute one) has a card that never differs, as
 * before pairing existed. One pass groups each side by STAN in a hash map; only the pairing within
 * one STAN is quadratic, in that STAN's count (one or two).
 */
final class UploadReconciliation {
    private UploadReconciliation() {
    }

    /** A counted journal row of the batch: what an uploaded line is compared with. */
    record HostRow(UUID id, String stan, long amountMinor, String maskedPan, byte[] panToken) {
        @Override
        public String toString() {
            return "HostRow[id=" + id + ", stan=" + stan + ", card=" + maskedPan + ", amountMinor=" + amountMinor + "]";
        }
    }

    private enum Round {
        EXACT, SAME_CARD, SAME_AMOUNT, ANY;

        /** Earlier rounds took every closer pair, so each round tests only what it keeps. */
        boolean pairs(UploadLine line, HostRow row) {
            return switch (this) {
                case EXACT -> line.amountMinor() == row.amountMinor() && line.mayBeCard(row.panToken());
                case SAME_CARD -> line.mayBeCard(row.panToken());
                case SAME_AMOUNT -> line.amountMinor() == row.amountMinor();
                case ANY -> true;
            };
        }
    }

    /** Every difference between {@code lines} and {@code rows}, in no particular order. */
    static List<Difference> differences(Collection<UploadLine> lines, Collection<HostRow> rows) {
        Map<String, List<HostRow>> rowsByStan = byStan(rows, HostRow::stan);
        List<Difference> found = new ArrayList<>();
        for (Map.Entry<String, List<UploadLine>> stan : byStan(lines, UploadLine::stan).entrySet()) {
            pair(stan.getValue(), rowsByStan.remove(stan.getKey()), found);
        }
        for (List<HostRow> notUploaded : rowsByStan.values()) {
            pair(List.of(), notUploaded, found);
        }
        return found;
    }

    /** Pairs one STAN's lines and rows ({@code rows} null when the journal has none). */
    private static void pair(List<UploadLine> lines, List<HostRow> rows, List<Difference> found) {
        List<UploadLine> openLines = new ArrayList<>(lines);
        // a line without the card's token may be any card: lines that name theirs pair first, or a line
        // that could be anyone's took the row of the card a named line is, and that line was a false CARD_DIFFERS
        openLines.sort(java.util.Comparator.comparing(line -> line.panToken() == null));
        List<HostRow> openRows = rows == null ? new ArrayList<>() : new ArrayList<>(rows);
        for (Round round : Round.values()) {
            // again while a pass pairs: a line that let a nearer one take its row may pair with what is left
            // (each pass pairs at least the nearest pair of the round, so this ends)
            boolean paired = true;
            while (paired && !openRows.isEmpty()) {
                paired = false;
                for (Iterator<UploadLine> l = openLines.iterator(); l.hasNext() && !openRows.isEmpty(); ) {
                    UploadLine line = l.next();
                    HostRow nearest = nearest(round, line, openRows, openLines);
                    if (nearest != null) {
                        l.remove();
                        openRows.remove(nearest);
                        compare(line, nearest, found);
                        paired = true;
                    }
                }
            }
        }
        for (UploadLine line : openLines) {
            found.add(new Difference(DifferenceReason.MISSING_AT_HOST, line.stan(), null, line.amountMinor(), null,
                    line.maskedPan()));
        }
        for (HostRow row : openRows) {
            found.add(new Difference(DifferenceReason.MISSING_AT_TERMINAL, row.stan(), row.id(), null, row.amountMinor(),
                    row.maskedPan()));
        }
    }

    /**
     * The row {@code round} pairs {@code line} with whose amount is nearest the line's, unless another
     * open line the round pairs with that row is nearer still (it takes the row; this line waits for
     * the next round): two lines of one card under one STAN, both off, each differ from their own row,
     * not from the other's (an outside judge's 1100 and 450 against 1000 and 400 were paired 450-1000).
     * Null when the round pairs it with none.
     */
    private static HostRow nearest(Round round, UploadLine line, List<HostRow> rows, List<UploadLine> lines) {
        HostRow nearest = null;
        for (HostRow row : rows) {
            if (round.pairs(line, row) && (nearest == null || gap(line, row) < gap(line, nearest))) {
                nearest = row;
            }
        }
        if (nearest == null) {
            return null;
        }
        for (UploadLine other : lines) {
            if (other != line && round.pairs(other, nearest) && gap(other, nearest) < gap(line, nearest)) {
                return null;
            }
        }
        return nearest;
    }

    private static long gap(UploadLine line, HostRow row) {
        return Math.abs(line.amountMinor() - row.amountMinor());
    }

    private static void compare(UploadLine line, HostRow row, List<Difference> found) {
        if (line.amountMinor() != row.amountMinor()) {
            found.add(difference(DifferenceReason.AMOUNT_DIFFERS, line, row));
        }
        if (!line.mayBeCard(row.panToken())) {
            found.add(difference(DifferenceReason.CARD_DIFFERS, line, row));
        }
    }

    private static Difference difference(DifferenceReason reason, UploadLine line, HostRow row) {
        return new Difference(reason, row.stan(), row.id(), line.amountMinor(), row.amountMinor(), row.maskedPan());
    }

    private static <T> Map<String, List<T>> byStan(Collection<T> items, Function<T, String> stan) {
        Map<String, List<T>> grouped = new HashMap<>();
        for (T item : items) {
            grouped.computeIfAbsent(stan.apply(item), k -> new ArrayList<>(2)).add(item);
        }
        return grouped;
    }
}
