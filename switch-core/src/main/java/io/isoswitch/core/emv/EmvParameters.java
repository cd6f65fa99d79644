package io.isoswitch.core.emv;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The contents of the EMV parameters file: what the 360 parameter download adds to the merchant's
 * name, the IC CA public keys and the IC parameters per AID, each list in the file's order (the
 * order status answers list them in).
 *
 * @param parameterDownload the 360 answer's values; defaults when absent
 * @param caPublicKeys      at most 99 (a status upload request counts what a terminal holds in 2 digits)
 * @param applications      at most 99, likewise
 */
public record EmvParameters(TerminalParameters parameterDownload, List<CaPublicKey> caPublicKeys, List<EmvApplication> applications) {
    /** A status upload request counts the entries a terminal already holds in two digits. */
    public static final int MAX_ENTRIES = 99;

    public EmvParameters {
        parameterDownload = parameterDownload == null ? TerminalParameters.defaults() : parameterDownload;
        caPublicKeys = caPublicKeys == null ? List.of() : List.copyOf(caPublicKeys);
        applications = applications == null ? List.of() : List.copyOf(applications);
        requireAtMost("caPublicKeys", caPublicKeys.size());
        requireAtMost("applications", applications.size());
        requireDistinct("caPublicKeys", caPublicKeys, CaPublicKey::name, "RID and index");
        requireDistinct("applications", applications, EmvApplication::aid, "aid");
    }

    /** No keys and no AIDs: status uploads are answered '0' (nothing to download). */
    public static EmvParameters none() {
        return new EmvParameters(null, null, null);
    }

    /** The key named {@code RID/index} in upper-case hex, e.g. {@code A000000333/08}. */
    public Optional<CaPublicKey> key(String name) {
        return caPublicKeys.stream().filter(k -> k.name().equals(name)).findFirst();
    }

    /** The parameters of {@code aid} (upper-case hex); an AID is matched exactly, never by prefix. */
    public Optional<EmvApplication> application(String aid) {
        return applications.stream().filter(a -> a.aid().equals(aid)).findFirst();
    }

    private static void requireAtMost(String key, int size) {
        if (size > MAX_ENTRIES) {
            throw new IllegalArgumentException(key + ": at most " + MAX_ENTRIES + " entries (a terminal counts them in two digits), found " + size);
        }
    }

    private static <T> void requireDistinct(String key, List<T> entries, Function<T, String> id, String what) {
        Set<String> seen = new HashSet<>();
        for (T entry : entries) {
            if (!seen.add(id.apply(entry))) {
                throw new IllegalArgumentException(key + ": two entries with " + what + " " + id.apply(entry));
            }
        }
    }

    /** Counts for the start-up log. */
    public Map<String, Integer> counts() {
        return Map.of("caPublicKeys", caPublicKeys.size(), "applications", applications.size());
    }
}
