package io.isoswitch.sim.card;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MappingIterator;
import tools.jackson.dataformat.csv.CsvMapper;
import tools.jackson.dataformat.csv.CsvSchema;

/**
 * The card file: CSV (RFC 4180, UTF-8) with a header line naming the columns, one card per line.
 *
 * <pre>
 * account_id,pan,expiry,service_code,pin_method,pvki,pin_data,cvv,balance,currency,status,pin
 * ACC00000001,4761739001010010,2812,201,pvv,1,4821,123,150000,978,active,1234
 * </pre>
 *
 * <ul>
 *   <li>{@code expiry} YYMM; {@code balance} opening balance in minor units of {@code currency}
 *       (ISO 4217 numeric); {@code status} one of active, lost, stolen, expired, blocked.</li>
 *   <li>{@code pin_method} pvv (then {@code pvki} 0..6 and {@code pin_data} the 4-digit PVV) or
 *       ibm3624 (then {@code pvki} empty or 0 and {@code pin_data} the offset).</li>
 *   <li>{@code pin} (optional column, may be empty): the cardholder's PIN for simulated terminals
 *       and demos; the issuer ignores it.</li>
 * </ul>
 * Account ids and PANs are unique within a file. Column order on reading is free (the header names
 * them); writing uses the order above.
 */
public final class CardCsv {
    /** Card files write expiry as YYMM, like track 2 and field 14. */
    public static final DateTimeFormatter EXPIRY_FORMAT = DateTimeFormatter.ofPattern("uuMM");

    private static final CsvMapper MAPPER = CsvMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .build();

    private CardCsv() {
    }

    /** One line of the file, as text; validated when turned into an {@link IssuedCard}. */
    @JsonPropertyOrder({"account_id", "pan", "expiry", "service_code", "pin_method", "pvki", "pin_data", "cvv",
        "balance", "currency", "status", "pin"})
    record Row(
            @JsonProperty("account_id") String accountId,
            @JsonProperty("pan") String pan,
            @JsonProperty("expiry") String expiry,
            @JsonProperty("service_code") String serviceCode,
            @JsonProperty("pin_method") String pinMethod,
            @JsonProperty("pvki") String pvki,
            @JsonProperty("pin_data") String pinData,
            @JsonProperty("cvv") String cvv,
            @JsonProperty("balance") String balance,
            @JsonProperty("currency") String currency,
            @JsonProperty("status") String status,
            @JsonProperty("pin") String pin) {

        @Override
        public String toString() {
            return "Row[account_id=" + accountId + ", pan=" + Pans.mask(pan) + "]";
        }
    }

    /** Reads every card of the card file {@code file} (UTF-8). */
    public static List<IssuedCard> read(Path file) {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read card file " + file, e);
        }
    }

    /** Reads every card of a card file; the caller closes {@code in}. */
    public static List<IssuedCard> read(Reader in) {
        List<IssuedCard> cards = new ArrayList<>();
        Set<String> accountIds = new HashSet<>();
        Set<String> pans = new HashSet<>();
        int line = 0;
        try (MappingIterator<Row> rows = MAPPER.readerFor(Row.class)
                .with(CsvSchema.emptySchema().withHeader())
                .readValues(in)) {
            while (rows.hasNextValue()) {
                line++;
                IssuedCard card = toCard(rows.nextValue(), line);
                if (!accountIds.add(card.account().accountId())) {
                    throw new CardFileException(line, "account_id repeats an earlier line", null);
                }
                if (!pans.add(card.account().pan())) {
                    throw new CardFileException(line, "pan repeats an earlier line", null);
                }
                cards.add(card);
            }
        } catch (JacksonException e) {
            // Jackson's message may quote the offending cell: keep only its kind, never the data.
            throw new CardFileException(line + 1, "not a card file row (" + e.getClass().getSimpleName() + ")", null);
        }
        return cards;
    }

    /** Writes {@code cards} with a header line; the caller closes {@code out}. */
    public static void write(List<IssuedCard> cards, Writer out) {
        List<Row> rows = new ArrayList<>(cards.size());
        for (IssuedCard card : cards) {
            rows.add(toRow(card));
        }
        CsvSchema schema = MAPPER.schemaFor(Row.class).withHeader();
        MAPPER.writer(schema).writeValue(out, rows);
    }

    private static IssuedCard toCard(Row row, int line) {
        try {
            PinVerificationMethod method = PinVerificationMethod.valueOf(required(row.pinMethod(), "pin_method")
                    .strip().toUpperCase(java.util.Locale.ROOT));
            String pvkiText = row.pvki() == null ? "" : row.pvki().strip();
            int pvki = pvkiText.isEmpty() ? 0 : Integer.parseInt(pvkiText);
            CardAccount account = new CardAccount(
                    required(row.accountId(), "account_id").strip(),
                    required(row.pan(), "pan").strip(),
                    YearMonth.parse(required(row.expiry(), "expiry").strip(), EXPIRY_FORMAT),
                    required(row.serviceCode(), "service_code").strip(),
                    new PinVerificationData(method, pvki, required(row.pinData(), "pin_data").strip()),
                    required(row.cvv(), "cvv").strip(),
                    Long.parseLong(required(row.balance(), "balance").strip()),
                    Integer.parseInt(required(row.currency(), "currency").strip()),
                    CardStatus.fromFileName(required(row.status(), "status")));
            return new IssuedCard(account, row.pin() == null ? "" : row.pin().strip());
        } catch (DateTimeParseException e) {
            throw new CardFileException(line, "expiry: expected YYMM", null);
        } catch (NumberFormatException e) {
            throw new CardFileException(line, "pvki, balance or currency: expected a decimal number", null);
        } catch (IllegalArgumentException e) {
            // our own validation messages name the column and mask card data
            throw new CardFileException(line, e.getMessage(), null);
        }
    }

    private static String required(String value, String column) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(column + ": missing");
        }
        return value;
    }

    private static Row toRow(IssuedCard card) {
        CardAccount a = card.account();
        PinVerificationData pv = a.pinVerification();
        return new Row(a.accountId(), a.pan(), a.expiry().format(EXPIRY_FORMAT), a.serviceCode(),
                pv.method().name().toLowerCase(java.util.Locale.ROOT),
                pv.method() == PinVerificationMethod.PVV ? Integer.toString(pv.pvki()) : "",
                pv.value(), a.cvv(), Long.toString(a.openingBalanceMinor()),
                String.format(java.util.Locale.ROOT, "%03d", a.currency()), a.status().fileName(), card.pin());
    }
}
