package io.isoswitch.settlement.audit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads an issuer's bookings from CSV, the format {@code audit --issuer-ledger} takes:
 *
 * <pre>
 * id,kind,amount,currency,rrn[,stan][,reverses][,...any other column, ignored]
 * 1,debit,2500,156,633010000A1B,000017,
 * 2,credit,2500,156,633010000A1B,000018,1
 * </pre>
 *
 * One header line names the columns (any order, case-insensitive); {@code kind} is debit, credit,
 * hold, release or capture; {@code amount} is positive minor units; {@code reverses} is the id of
 * the entry undone, or empty. This is exactly the entries table the issuer simulator writes
 * ({@code issuer --dump}), and what an issuer's clearing data is converted to. No card data is
 * read: entries are matched by RRN.
 */
public final class ClearingFile {
    private static final List<String> REQUIRED = List.of("id", "kind", "amount", "currency", "rrn");

    private ClearingFile() {
    }

    /** Reads {@code file}; a malformed line is reported with its number. */
    public static List<ClearingEntry> read(Path file) {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(in, file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    static List<ClearingEntry> read(BufferedReader in, String name) throws IOException {
        String header = in.readLine();
        if (header == null) {
            throw new ClearingFileException(name + ": empty, expected a header line naming " + REQUIRED);
        }
        Map<String, Integer> columns = new HashMap<>();
        String[] names = split(header);
        for (int i = 0; i < names.length; i++) {
            columns.put(names[i].strip().toLowerCase(Locale.ROOT), i);
        }
        for (String required : REQUIRED) {
            if (!columns.containsKey(required)) {
                throw new ClearingFileException(name + ": the header has no column '" + required + "' (found " + header + ")");
            }
        }
        List<ClearingEntry> entries = new ArrayList<>();
        String line;
        int number = 1;
        while ((line = in.readLine()) != null) {
            number++;
            if (line.isBlank()) {
                continue;
            }
            String[] values = split(line);
            try {
                entries.add(new ClearingEntry(Long.parseLong(value(values, columns, "id")),
                        ClearingEntry.Kind.parse(value(values, columns, "kind")),
                        Long.parseLong(value(values, columns, "amount")),
                        Integer.parseInt(value(values, columns, "currency")),
                        value(values, columns, "rrn"), value(values, columns, "stan"),
                        value(values, columns, "reverses").isEmpty() ? 0 : Long.parseLong(value(values, columns, "reverses")),
                        value(values, columns, "hold").isEmpty() ? 0 : Long.parseLong(value(values, columns, "hold"))));
            } catch (IllegalArgumentException e) {
                throw new ClearingFileException(name + " line " + number + ": " + e.getMessage());
            }
        }
        return entries;
    }

    /** Splits one CSV line: commas separate, a value may be quoted, {@code ""} inside quotes is one quote. */
    static String[] split(String line) {
        List<String> values = new ArrayList<>();
        StringBuilder value = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    value.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    value.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == ',') {
                values.add(value.toString());
                value.setLength(0);
            } else {
                value.append(ch);
            }
        }
        if (quoted) {
            throw new ClearingFileException("a quoted value is not closed");
        }
        values.add(value.toString());
        return values.toArray(String[]::new);
    }

    private static String value(String[] values, Map<String, Integer> columns, String column) {
        Integer index = columns.get(column);
        if (index == null || index >= values.length) {
            return "";
        }
        return values[index].strip();
    }

    /** A clearing file that cannot be read as one. */
    public static final class ClearingFileException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ClearingFileException(String message) {
            super(message);
        }
    }
}
