package io.isoswitch.sim.ledger;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.MonthDay;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.MappingIterator;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.dataformat.csv.CsvMapper;
import tools.jackson.dataformat.csv.CsvSchema;

/**
 * A bank's ledger on disk, so that a simulated issuer keeps its books across a restart (a chaos
 * run's {@code kill -9} included): every booking is appended as it is made, handed to the operating
 * system in one write before its answer leaves, and read back when the bank starts on the same file.
 *
 * <p>The file is the entries table of {@link LedgerExport} (so {@code audit} reads it as it is)
 * with four more columns that say which request booked each row and how it was answered:
 * {@code class} (the request's message class), {@code time} (its transmission time, hhmmss, or
 * empty), {@code code} and {@code approval} (the answer's fields 39 and 38). The rows of one
 * booking are consecutive. A last line cut short (the process killed in the middle of a write,
 * whose answer therefore never left) is dropped at the next start.
 *
 * <p>Not thread-safe: its bank calls it under the bank's lock.
 */
public final class LedgerLog implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(LedgerLog.class);
    private static final CsvMapper MAPPER = LedgerExport.MAPPER;
    /** The entries table's columns, then the answer's: one table for audit and for the restart. */
    private static final CsvSchema SCHEMA = MAPPER.schemaFor(LedgerExport.EntryRow.class).rebuild()
            .addColumnsFrom(MAPPER.schemaFor(AnswerColumns.class)).build();
    private static final ObjectWriter ENTRY_WRITER = MAPPER.writer(MAPPER.schemaFor(LedgerExport.EntryRow.class));
    private static final ObjectWriter ANSWER_WRITER = MAPPER.writer(MAPPER.schemaFor(AnswerColumns.class));

    private final Path file;
    private final Writer out;
    /** What the log held when opened, until the bank takes it ({@link #takeBookings()}); not kept after. */
    private List<Booking> booked;

    /**
     * What one answer booked.
     *
     * @param requestClass the request's message class, as its bank names it
     * @param responseCode the answer's field 39
     * @param approvalCode the answer's field 38, or empty
     * @param entries      the entries it booked, in booking order, at least one
     */
    public record Booking(String requestClass, String responseCode, String approvalCode, List<LedgerEntry> entries) {
        public Booking {
            Objects.requireNonNull(requestClass, "requestClass");
            Objects.requireNonNull(responseCode, "responseCode");
            Objects.requireNonNull(approvalCode, "approvalCode");
            entries = List.copyOf(entries);
            if (entries.isEmpty()) {
                throw new IllegalArgumentException("entries: a booking books at least one entry");
            }
        }
    }

    /** The columns a log adds to each entry's row: which request booked it, and how it was answered. */
    @JsonPropertyOrder({"class", "time", "code", "approval"})
    record AnswerColumns(
            @JsonProperty("class") String requestClass,
            @JsonProperty("time") String time,
            @JsonProperty("code") String code,
            @JsonProperty("approval") String approval) {
    }

    /** One row of the entries table with the answer's columns after it. */
    private static String row(LedgerEntry entry, Booking booking) {
        String time = entry.reference().time();
        String entryColumns = ENTRY_WRITER.writeValueAsString(LedgerExport.row(entry));
        return entryColumns.substring(0, entryColumns.length() - 1) + "," + ANSWER_WRITER.writeValueAsString(
                new AnswerColumns(booking.requestClass(), time == null ? "" : time, booking.responseCode(), booking.approvalCode()));
    }

    /** The entry a row read back names, by the entries table's column names. */
    private static LedgerEntry entry(Map<String, String> row) {
        String time = row.get("time");
        RequestReference reference = new RequestReference(row.get("acquirer_id"), Integer.parseInt(row.get("stan")), row.get("rrn"),
                MonthDay.parse(row.get("date"), LedgerExport.MONTH_DAY), time.isEmpty() ? null : time);
        return new LedgerEntry(Long.parseLong(row.get("id")), Instant.parse(row.get("at")), row.get("account_id"),
                EntryKind.valueOf(row.get("kind").toUpperCase(Locale.ROOT)), Long.parseLong(row.get("amount")),
                Integer.parseInt(row.get("currency")), reference,
                row.get("reverses").isEmpty() ? 0 : Long.parseLong(row.get("reverses")),
                row.get("hold").isEmpty() ? 0 : Long.parseLong(row.get("hold")));
    }

    /** Rows of one booking name the same request: class, acquirer, STAN, date, time and RRN. */
    private static boolean sameBooking(Map<String, String> first, Map<String, String> row) {
        for (String column : List.of("class", "acquirer_id", "stan", "date", "time", "rrn")) {
            if (!first.get(column).equals(row.get(column))) {
                return false;
            }
        }
        return true;
    }

    private LedgerLog(Path file, Writer out, List<Booking> booked) {
        this.file = file;
        this.out = out;
        this.booked = booked;
    }

    /**
     * Opens the log at {@code file}: a new one (with its header line) when there is none, else the
     * one an earlier run wrote, whose bookings {@link #takeBookings()} hands over.
     *
     * @throws IllegalArgumentException when the file is not such a log (another table, a damaged row)
     */
    public static LedgerLog open(Path file) throws IOException {
        List<Booking> booked = List.of();
        if (Files.exists(file) && dropCutShortLine(file) > 0) {
            booked = read(file);
        } else {
            // a new log, or one whose header line itself was cut short
            Files.writeString(file, header() + "\n", StandardCharsets.UTF_8);
        }
        Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        return new LedgerLog(file, out, booked);
    }

    /**
     * The bookings the log held when it was opened, in booking order, handed over once: the bank
     * that takes them up holds their entries, and the log keeps no second list of them for the run.
     */
    public List<Booking> takeBookings() {
        List<Booking> taken = booked;
        booked = List.of();
        return taken;
    }

    /** Appends one booking's rows and hands them to the operating system (one write), before its answer leaves. */
    public void append(Booking booking) {
        StringBuilder rows = new StringBuilder(160 * booking.entries().size());
        for (LedgerEntry entry : booking.entries()) {
            rows.append(row(entry, booking));
        }
        try {
            out.write(rows.toString());
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the ledger log " + file, e);
        }
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    private static String header() {
        return String.join(",", SCHEMA.getColumnNames());
    }

    /**
     * Cuts off a last line without its line feed (a write cut short) and returns the length left;
     * looks at the file's tail only, as a log may hold millions of rows.
     */
    private static long dropCutShortLine(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = channel.size();
            long end = size;
            java.nio.ByteBuffer tail = java.nio.ByteBuffer.allocate(4096);
            while (end > 0) {
                int length = (int) Math.min(tail.capacity(), end);
                tail.clear().limit(length);
                channel.read(tail, end - length);
                int newline = length - 1;
                while (newline >= 0 && tail.get(newline) != '\n') {
                    newline--;
                }
                if (newline >= 0) {
                    end = end - length + newline + 1;
                    break;
                }
                end -= length;
            }
            if (end < size) {
                LOG.warn("ledger log {}: dropped a last line cut short ({} bytes): a booking whose answer never left", file, size - end);
                channel.truncate(end);
            }
            return end;
        }
    }

    private static List<Booking> read(Path file) throws IOException {
        List<Booking> booked = new ArrayList<>();
        List<LedgerEntry> entries = new ArrayList<>();
        Map<String, String> first = null;
        long line = 1;
        try (java.io.BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = in.readLine();
            if (!header().equals(header)) {
                throw new IllegalArgumentException("ledger log " + file + ": the header is not a ledger log's (" + header
                        + "); an entries table written at a stop cannot be taken up again: start on a new directory");
            }
            try (MappingIterator<Map<String, String>> rows = MAPPER.readerForMapOf(String.class).with(SCHEMA).readValues(in)) {
                while (rows.hasNext()) {
                    line++;
                    Map<String, String> row = rows.next();
                    if (first != null && !sameBooking(first, row)) {
                        booked.add(booking(first, entries));
                        entries = new ArrayList<>();
                    }
                    if (entries.isEmpty()) {
                        first = row;
                    }
                    entries.add(entry(row));
                }
            } catch (JacksonException | IllegalArgumentException | java.time.DateTimeException | NullPointerException e) {
                throw new IllegalArgumentException("ledger log " + file + ", line " + line + ": " + e.getMessage(), e);
            }
        }
        if (first != null) {
            booked.add(booking(first, entries));
        }
        return booked;
    }

    private static Booking booking(Map<String, String> first, List<LedgerEntry> entries) {
        return new Booking(first.get("class"), first.get("code"), first.get("approval"), entries);
    }
}
