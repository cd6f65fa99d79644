package io.isoswitch.core.saf;

import io.isoswitch.core.testing.SwitchFixture;

/** The drain harness's switch options (the issuer link as the tests have it). */
final class SafDrainRateConfig {
    private SafDrainRateConfig() {
    }

    static SwitchFixture.Options apply(SwitchFixture.Options options) {
        return options;
    }

    static String describe() {
        return "one entry at a time";
    }
}
