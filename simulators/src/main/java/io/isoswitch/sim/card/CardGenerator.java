package io.isoswitch.sim.card;

import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Makes simulated cards deterministically: the same options and seed give the same cards, byte
 * for byte, on every machine ({@link SplittableRandom}'s sequence is fixed by its specification).
 * PANs are Luhn-valid, unique, and spread round-robin over the given BINs. Every card is active,
 * with service code 201 (chip card, no restrictions), a 4-digit PIN enrolled through the
 * {@link PinEnroller}, and an opening balance in whole units between the given bounds.
 */
public final class CardGenerator {
    /** Options of one run; {@link #defaults(List)} gives those of {@code --cards N}. */
    public record Options(
            List<String> bins,
            int panLength,
            int currency,
            long minOpeningBalanceMinor,
            long maxOpeningBalanceMinor,
            YearMonth issuedIn,
            String accountPrefix) {

        public Options {
            bins = List.copyOf(bins);
            if (bins.isEmpty()) {
                throw new IllegalArgumentException("bins: expected at least one BIN");
            }
            if (panLength < Pans.MIN_LENGTH || panLength > Pans.MAX_LENGTH) {
                throw new IllegalArgumentException("panLength: expected 12..19, found " + panLength);
            }
            for (String bin : bins) {
                if (!Digits.isDigits(bin) || bin.length() < 6 || bin.length() > 11 || bin.length() >= panLength - 1) {
                    throw new IllegalArgumentException("bin: expected 6..11 digits, shorter than the PAN, found '"
                            + bin + "'");
                }
            }
            if (minOpeningBalanceMinor < 0 || maxOpeningBalanceMinor < minOpeningBalanceMinor) {
                throw new IllegalArgumentException("opening balance: expected 0 <= min <= max, found "
                        + minOpeningBalanceMinor + ".." + maxOpeningBalanceMinor);
            }
            Objects.requireNonNull(issuedIn, "issuedIn");
            Objects.requireNonNull(accountPrefix, "accountPrefix");
        }

        /** 16-digit PANs, EUR (978), balances 100.00 to 5000.00, issued in January 2026. */
        public static Options defaults(List<String> bins) {
            return new Options(bins, 16, 978, 10_000, 500_000, YearMonth.of(2026, 1), "ACC");
        }

        public Options withCurrency(int newCurrency) {
            return new Options(bins, panLength, newCurrency, minOpeningBalanceMinor, maxOpeningBalanceMinor,
                    issuedIn, accountPrefix);
        }

        public Options withAccountPrefix(String newPrefix) {
            return new Options(bins, panLength, currency, minOpeningBalanceMinor, maxOpeningBalanceMinor, issuedIn,
                    newPrefix);
        }
    }

    private final Options options;
    private final PinEnroller enroller;

    public CardGenerator(Options options, PinEnroller enroller) {
        this.options = Objects.requireNonNull(options, "options");
        this.enroller = Objects.requireNonNull(enroller, "enroller");
    }

    /** {@code count} cards from {@code seed}. */
    public List<IssuedCard> generate(int count, long seed) {
        if (count < 0) {
            throw new IllegalArgumentException("count: expected >= 0, found " + count);
        }
        SplittableRandom random = new SplittableRandom(seed);
        List<IssuedCard> cards = new ArrayList<>(count);
        Set<String> pans = new HashSet<>();
        for (int i = 0; i < count; i++) {
            String bin = options.bins().get(i % options.bins().size());
            String pan = uniquePan(bin, random, pans);
            String pin = digits(random, 4);
            long units = random.nextLong(options.minOpeningBalanceMinor() / 100,
                    options.maxOpeningBalanceMinor() / 100 + 1);
            CardAccount account = new CardAccount(
                    String.format(java.util.Locale.ROOT, "%s%08d", options.accountPrefix(), i + 1),
                    pan,
                    options.issuedIn().plusMonths(24 + random.nextInt(37)),
                    "201",
                    enroller.enroll(pan, pin),
                    digits(random, 3),
                    Math.max(options.minOpeningBalanceMinor(), units * 100),
                    options.currency(),
                    CardStatus.ACTIVE);
            cards.add(new IssuedCard(account, pin));
        }
        return cards;
    }

    private String uniquePan(String bin, SplittableRandom random, Set<String> taken) {
        int bodyLength = options.panLength() - bin.length() - 1;
        long space = (long) Math.pow(10, Math.min(bodyLength, 18));
        if (taken.size() >= space) {
            throw new IllegalArgumentException("bins: too many cards for the PAN space under BIN " + bin);
        }
        while (true) {
            String payload = bin + digits(random, bodyLength);
            String pan = payload + Pans.luhnCheckDigit(payload);
            if (taken.add(pan)) {
                return pan;
            }
        }
    }

    private static String digits(SplittableRandom random, int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append((char) ('0' + random.nextInt(10)));
        }
        return text.toString();
    }
}
