package io.isoswitch.core.issuer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.isoswitch.core.config.ConfigException;
import org.junit.jupiter.api.Test;

class IssuerConfigTest {
    private static IssuerConfig valid() {
        return IssuerConfig.of("bank-a", "issuer.example", 9000, "123456");
    }

    @Test
    void fillsTheDocumentedDefaults() {
        IssuerConfig config = valid();

        assertThat(config.connections()).isEqualTo(2);
        assertThat(config.dialect()).isEqualTo("iso87binary");
        assertThat(config.framing()).isEqualTo("binary2");
        assertThat(config.requestTimeoutMs()).isEqualTo(10_000);
        assertThat(config.echoIntervalMs()).isEqualTo(30_000);
        assertThat(config.connectTimeoutMs()).isEqualTo(5_000);
        assertThat(config.reconnectBackoffMinMs()).isEqualTo(500);
        assertThat(config.reconnectBackoffMaxMs()).isEqualTo(5_000);
        assertThat(config.forwardingInstitutionId()).isNull();
        assertThat(config.zmkKeyBlock()).isNull();
        assertThat(config.secondaryIssuerId()).isNull();
        assertThat(config.keyExchangeIntervalMs()).as("zone keys exchanged again daily").isEqualTo(86_400_000);
        assertThat(config.safWindow()).as("store-and-forward entries in flight").isEqualTo(16);
        assertThat(config.withSafWindow(1).withConnections(3).safWindow()).as("kept by the other withers").isEqualTo(1);
    }

    @Test
    void rejectsEachBadValueNamingItsKey() {
        assertRejected(() -> IssuerConfig.of("bank a", "h", 1, "1"), "issuers[].issuerId");
        assertRejected(() -> IssuerConfig.of("bank-a", " ", 1, "1"), "issuers[bank-a].host");
        assertRejected(() -> IssuerConfig.of("bank-a", "h", 70_000, "1"), "issuers[bank-a].port");
        assertRejected(() -> IssuerConfig.of("bank-a", "h", 1, "12A"), "issuers[bank-a].acquiringInstitutionId");
        assertRejected(() -> IssuerConfig.of("bank-a", "h", 1, "123456789012"), "issuers[bank-a].acquiringInstitutionId");
        assertRejected(() -> valid().withConnections(65), "issuers[bank-a].connections");
        assertRejected(() -> valid().withTimeouts(5, 1_000), "issuers[bank-a].requestTimeoutMs");
        assertRejected(() -> valid().withTimeouts(1_000, 5), "issuers[bank-a].echoIntervalMs");
        assertRejected(() -> valid().withBackoff(1_000, 10), "issuers[bank-a].reconnectBackoffMaxMs");
        assertRejected(() -> valid().withSecondary("bank-a"), "issuers[bank-a].secondaryIssuerId");
        assertRejected(() -> valid().withKeyExchangeInterval(999), "issuers[bank-a].keyExchangeIntervalMs");
        assertRejected(() -> valid().withKeyExchangeInterval(604_800_001), "issuers[bank-a].keyExchangeIntervalMs");
        assertRejected(() -> valid().withZmk(""), "issuers[bank-a].zmkKeyBlock");
        assertRejected(() -> valid().withSafWindow(-1), "issuers[bank-a].safWindow");
        assertRejected(() -> valid().withSafWindow(257), "issuers[bank-a].safWindow");
        assertRejected(() -> valid().withZmk("B0096K0TB00E").withStaticKeys(new IssuerConfig.StaticZoneKeys("B0096P0TB00E", null)),
                "issuers[bank-a].staticKeys");
        assertRejected(() -> valid().withStaticKeys(new IssuerConfig.StaticZoneKeys(null, "B0096M3TC00E")),
                "issuers[bank-a].staticKeys.zpkKeyBlock");
        assertRejected(() -> new IssuerConfig("bank-a", "h", 1, 0, "cup-pos", null, 0, 0, 0, 0, 0, "1", null, null, null),
                "issuers[bank-a].dialect");
        assertThatThrownBy(() -> new IssuerConfig("bank-a", "h", 1, 0, "iso93binary", null, 0, 0, 0, 0, 0, "1", null, null, null))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("issuers[bank-a].dialect = iso93binary")
                .hasMessageContaining("1993 financial messages are not built");
        assertRejected(() -> new IssuerConfig("bank-a", "h", 1, 0, null, "ascii5", 0, 0, 0, 0, 0, "1", null, null, null),
                "issuers[bank-a].framing");
        assertRejected(() -> new IssuerConfig("bank-a", "h", 1, 0, null, null, 0, 0, 0, 0, 0, "1", "x", null, null),
                "issuers[bank-a].forwardingInstitutionId");
    }

    private static void assertRejected(Runnable build, String key) {
        assertThatThrownBy(build::run).isInstanceOf(ConfigException.class).hasMessageStartingWith(key + " = ");
    }

    @Test
    void aBackoffMinimumAboveTheDefaultMaximumRaisesTheDefaultMaximum() {
        assertThat(valid().withBackoff(60_000, 0).reconnectBackoffMaxMs()).isEqualTo(60_000);
    }

    @Test
    void toStringShowsOnlyWhetherAZoneMasterKeyIsSet() {
        String block = "B0096K0TB00E0000SECRETKEYBLOCKMATERIAL";

        assertThat(valid().withZmk(block).toString()).doesNotContain(block).contains("zmkKeyBlock=****");
        assertThat(valid().toString()).contains("zmkKeyBlock=none");
        assertThat(valid().withStaticKeys(new IssuerConfig.StaticZoneKeys(block, block)).toString()).doesNotContain(block)
                .contains("staticKeys=StaticZoneKeys[zpkKeyBlock=****, zakKeyBlock=****]");
    }
}
