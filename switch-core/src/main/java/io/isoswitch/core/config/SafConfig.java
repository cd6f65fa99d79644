package io.isoswitch.core.config;

import java.time.Duration;
import java.util.Optional;

/**
 * The store-and-forward queue as a whole, shared by every node (per issuer:
 * {@code issuers[].safWindow}).
 *
 * @param retentionDays how many days a delivered (or cancelled) entry is kept before the purge deletes it (with its
 *                      delivery attempts); absent: {@value #DEFAULT_RETENTION_DAYS}; 0 keeps them
 *                      for ever (no purge). Journal records are never purged.
 */
public record SafConfig(Integer retentionDays) {
    /** A week: long enough to answer "was the reversal of last Friday's timeout delivered, and when". */
    public static final int DEFAULT_RETENTION_DAYS = 7;
    public static final int MAX_RETENTION_DAYS = 3_650;

    public SafConfig {
        retentionDays = retentionDays == null ? DEFAULT_RETENTION_DAYS : retentionDays;
        ConfigException.require(retentionDays >= 0 && retentionDays <= MAX_RETENTION_DAYS, "saf.retentionDays", retentionDays,
                "0 (keep delivered entries for ever) to " + MAX_RETENTION_DAYS + " days");
    }

    /** How long a delivered entry is kept; empty when they are kept for ever. */
    public Optional<Duration> retention() {
        return retentionDays == 0 ? Optional.empty() : Optional.of(Duration.ofDays(retentionDays));
    }

    static SafConfig defaults() {
        return new SafConfig(null);
    }
}
