package io.isoswitch.core.config;

/**
 * The pipeline's own limits.
 *
 * @param maxAmountMinor    the largest amount any transaction may carry (13 above it)
 * @param maxKeyUses        requests a terminal's working keys serve before it must sign on again
 * @param maxKeyAgeMinutes  minutes a terminal's working keys live before it must sign on again
 */
public record PipelineConfig(long maxAmountMinor, long maxKeyUses, long maxKeyAgeMinutes) {
    public static final long DEFAULT_MAX_AMOUNT_MINOR = 100_000_000_00L;
    public static final long DEFAULT_MAX_KEY_USES = 100_000;
    public static final long DEFAULT_MAX_KEY_AGE_MINUTES = 24 * 60;

    public PipelineConfig {
        maxAmountMinor = maxAmountMinor == 0 ? DEFAULT_MAX_AMOUNT_MINOR : maxAmountMinor;
        maxKeyUses = maxKeyUses == 0 ? DEFAULT_MAX_KEY_USES : maxKeyUses;
        maxKeyAgeMinutes = maxKeyAgeMinutes == 0 ? DEFAULT_MAX_KEY_AGE_MINUTES : maxKeyAgeMinutes;
        ConfigException.require(maxAmountMinor > 0, "pipeline.maxAmountMinor", maxAmountMinor, "a positive amount");
        ConfigException.require(maxKeyUses > 0, "pipeline.maxKeyUses", maxKeyUses, "a positive count");
        ConfigException.require(maxKeyAgeMinutes > 0, "pipeline.maxKeyAgeMinutes", maxKeyAgeMinutes, "a positive duration");
    }

    public static PipelineConfig defaults() {
        return new PipelineConfig(0, 0, 0);
    }
}
