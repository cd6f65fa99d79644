package io.isoswitch.core.saf;

import io.isoswitch.core.config.SwitchConfig;
import io.isoswitch.core.issuer.IssuerConfig;
import io.isoswitch.core.testing.SwitchFixture;

/**
 * The drain harness's switch options: the issuer link as the tests have it, with the
 * store-and-forward window asked for (the default when none).
 */
final class SafDrainRateConfig {
    private SafDrainRateConfig() {
    }

    static SwitchFixture.Options apply(Integer window, SwitchFixture.Options options) {
        if (window == null) {
            return options;
        }
        return options.withConfig(c -> new SwitchConfig(c.nodeId(), c.businessZone(), c.listeners(), c.ops(), c.journal(), c.security(),
                c.pipeline(), c.issuers().stream().map(i -> i.withSafWindow(window)).toList(), c.routesFile(), c.terminalsFile(),
                c.limits(), c.transactions(), c.standIn(), c.settlement(), c.emvParametersFile()));
    }

    static String describe(Integer window) {
        return "window " + (window == null ? IssuerConfig.DEFAULT_SAF_WINDOW : window);
    }
}
