package io.isoswitch.security;

import io.isoswitch.security.internal.Bytes;
import io.isoswitch.security.internal.Tr31;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Moves keys from one local master key to the next: each key block under the old LMK is opened
 * and written again, same header, same key, under the new one. An LMK has a crypto-period like any
 * key; at its end every key block of the installation (configuration, terminals file, PAN keys)
 * must follow it. The clear key exists only inside this call and is wiped after it.
 */
public final class LmkRotation {
    /**
     * Where a key block may start in a text: a TR-31 version D block ('D' and its four-digit length),
     * not inside a longer word. The length then says where it ends.
     */
    private static final Pattern BLOCK_START = Pattern.compile("(?<![0-9A-Za-z])D(\\d{4})");

    private final LocalMasterKey from;
    private final LocalMasterKey to;
    private final SecureRandom random;

    public LmkRotation(LocalMasterKey from, LocalMasterKey to, SecureRandom random) {
        this.from = Objects.requireNonNull(from, "from");
        this.to = Objects.requireNonNull(to, "to");
        this.random = Objects.requireNonNull(random, "random");
        if (from.kcv().equals(to.kcv())) {
            throw new HsmException("the new LMK is the old one (kcv " + from.kcv() + ")");
        }
    }

    /** {@code keyBlock}, under the old LMK, as a key block under the new one; {@link KeyBlockException} if it is not under the old. */
    public String rewrap(String keyBlock) {
        Tr31.Unwrapped opened = from.unwrap(keyBlock);
        try {
            return to.wrap(opened.header(), opened.key(), random);
        } finally {
            Bytes.wipe(opened.key());
        }
    }

    /** What {@link #rewrapAll} did to a text. */
    public record Rewrapped(String text, int rewrapped, int notUnderOldLmk) {}

    /**
     * Every key block under the old LMK in {@code text} (a configuration, a terminals file, PAN key
     * properties), re-wrapped in place; the rest of the text, and any key block that does not open
     * under the old LMK (already moved, or another installation's), is left as it was.
     */
    public Rewrapped rewrapAll(String text) {
        StringBuilder out = new StringBuilder(text.length());
        int copied = 0;
        int rewrapped = 0;
        int left = 0;
        Matcher start = BLOCK_START.matcher(text);
        while (start.find(copied)) {
            int at = start.start();
            int end = at + Integer.parseInt(start.group(1));
            if (end > text.length() || !blockCharacters(text, at, end)) {
                out.append(text, copied, start.end());
                copied = start.end();
                continue;
            }
            out.append(text, copied, at);
            String block = text.substring(at, end);
            try {
                out.append(rewrap(block));
                rewrapped++;
            } catch (KeyBlockException e) {
                out.append(block);
                left++;
            }
            copied = end;
        }
        out.append(text, copied, text.length());
        return new Rewrapped(out.toString(), rewrapped, left);
    }

    /** Letters and digits from {@code at} to {@code end}, and no letter or digit right after. */
    private static boolean blockCharacters(String text, int at, int end) {
        for (int i = at; i < end; i++) {
            if (!Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) > 'z') {
                return false;
            }
        }
        return end == text.length() || !Character.isLetterOrDigit(text.charAt(end));
    }
}
