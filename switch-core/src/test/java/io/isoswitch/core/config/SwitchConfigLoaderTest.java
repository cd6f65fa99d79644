package io.isoswitch.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SwitchConfigLoaderTest {
    private static SwitchConfig parse(String yaml) {
        return SwitchConfigLoader.parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test.yaml");
    }

    @Test
    void withoutAFileEveryKeyTakesItsDefault() {
        SwitchConfig config = SwitchConfigLoader.load(null);
        assertThat(config.listeners()).extracting(ListenerConfig::port).containsExactly(8583, 8584, 8585);
        assertThat(config.listeners()).extracting(ListenerConfig::framing).containsExactly("binary2", "ascii4", "binary2");
        assertThat(config.ops().port()).isEqualTo(8080);
        assertThat(config.journal().url()).startsWith("jdbc:h2:file:");
        assertThat(config.businessZone()).isEqualTo("UTC");
    }

    @Test
    void keysLeftOutOfAFileTakeTheirDefaults() {
        SwitchConfig config = parse("""
                nodeId: edge-2
                listeners:
                  - dialect: iso87ascii
                    port: 9584
                journal:
                  url: jdbc:postgresql://127.0.0.1:5432/test
                """);
        assertThat(config.nodeId()).isEqualTo("edge-2");
        ListenerConfig listener = config.listeners().getFirst();
        assertThat(listener.framing()).isEqualTo("ascii4");
        assertThat(listener.maxInFlightPerConnection()).isEqualTo(ListenerConfig.DEFAULT_MAX_IN_FLIGHT_PER_CONNECTION);
        assertThat(listener.idleTimeoutMs()).isEqualTo(ListenerConfig.DEFAULT_IDLE_TIMEOUT_MS);
        assertThat(config.journal().poolSize()).isEqualTo(io.isoswitch.settlement.db.DatabaseConfig.DEFAULT_POOL_SIZE);
        assertThat(config.ops().port()).isEqualTo(OpsConfig.DEFAULT_PORT);
    }

    @Test
    void aCupPosPortMacsTheUnionPayWayUnlessToldX919AndAnIsoPortOnlyX919() {
        SwitchConfig defaults = SwitchConfigLoader.load(null);
        assertThat(defaults.listeners()).extracting(ListenerConfig::mac).containsExactly("x9.19", "x9.19", "cup-ecb");
        assertThat(defaults.listeners()).extracting(ListenerConfig::forgeableMac).containsExactly(false, false, true);
        assertThat(parse("listeners:\n  - {dialect: cup-pos, port: 9585, mac: X9.19}\n").listeners().getFirst().forgeableMac()).isFalse();
        assertThatThrownBy(() -> parse("listeners:\n  - {dialect: iso87binary, port: 9583, mac: cup-ecb}\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("listeners[iso87binary].mac");
        assertThatThrownBy(() -> parse("listeners:\n  - {dialect: cup-pos, port: 9585, mac: sha1}\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("x9.19 or cup-ecb");
    }

    @Test
    void onePanKeyAloneIsRefusedNotIgnored() {
        assertThatThrownBy(() -> parse("security:\n  panTokenKey: D0112B0AN00E0000ABCD\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("security.panTokenKey").hasMessageContaining("both");
    }

    @Test
    void aWholeNumberWithAFractionIsRefusedNotCutShort() {
        assertThatThrownBy(() -> parse("standIn:\n  bank-a: {mode: approve, maxAmountPerCardPerDay: 1000.50, maxCountPerCardPerDay: 2}\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("maxAmountPerCardPerDay");
    }

    @Test
    void journalWriterThreadsDefaultToOneAndNeverTakeMoreThanHalfThePool() {
        assertThat(parse("journal: {poolSize: 8}\n").journal().writerThreads()).isEqualTo(JournalConfig.DEFAULT_WRITER_THREADS);
        assertThat(parse("journal: {poolSize: 2, writerThreads: 1}\n").journal().writerThreads()).isEqualTo(1);
        assertThat(parse("journal: {poolSize: 8, writerThreads: 4}\n").journal().journalSettings().writerThreads()).isEqualTo(4);
        assertThatThrownBy(() -> parse("journal: {poolSize: 2, writerThreads: 2}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("journal.writerThreads");
        assertThatThrownBy(() -> parse("journal: {poolSize: 8, writerThreads: 5}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("journal.writerThreads");
    }

    @Test
    void deliveredSafEntriesAreKeptSevenDaysByDefaultAndForEverWithZero() {
        assertThat(parse("nodeId: edge-2\n").saf().retention()).contains(java.time.Duration.ofDays(SafConfig.DEFAULT_RETENTION_DAYS));
        assertThat(parse("saf: {retentionDays: 30}\n").saf().retention()).contains(java.time.Duration.ofDays(30));
        assertThat(parse("saf: {retentionDays: 0}\n").saf().retention()).isEmpty();
        assertThatThrownBy(() -> parse("saf: {retentionDays: -1}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("saf.retentionDays");
        assertThat(SwitchConfigLoader.describe(parse("saf: {retentionDays: 30}\n"))).contains("retentionDays: 30");
    }

    @Test
    void journalNetworkTimeoutDefaultsToTenSecondsAndZeroMeansNone() {
        assertThat(parse("journal: {poolSize: 8}\n").journal().toDatabaseConfig().networkTimeoutMs())
                .isEqualTo(io.isoswitch.settlement.db.DatabaseConfig.DEFAULT_NETWORK_TIMEOUT_MS);
        assertThat(parse("journal: {networkTimeoutMs: 0}\n").journal().toDatabaseConfig().networkTimeoutMs()).isZero();
        assertThatThrownBy(() -> parse("journal: {networkTimeoutMs: -1}\n").journal().toDatabaseConfig())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("journal.networkTimeoutMs");
    }

    @Test
    void readsLimitsByCategoryAndMerchant() {
        SwitchConfig config = parse("""
                limits:
                  categories:
                    default:
                      card: {PURCHASE: {perTransactionMinor: 500000, dailyAmountMinor: 2000000, dailyCount: 50}}
                  merchants:
                    MERCHANT0000001:
                      terminal: {"*": {dailyCount: 1000}}
                """);
        assertThat(config.limits().categories().get("default").card().get("PURCHASE").dailyAmountMinor()).isEqualTo(2_000_000);
        assertThat(config.limits().merchants().get("MERCHANT0000001").terminal().get("*").dailyCount()).isEqualTo(1_000);
    }

    @Test
    void readsTransactionsAndStandInRulesPerIssuer() {
        SwitchConfig config = parse("""
                issuers:
                  - {issuerId: bank-a, host: 127.0.0.1, port: 9000, acquiringInstitutionId: "10000000001"}
                transactions:
                  refundsWithoutOriginal: true
                  completionTolerancePercent: {default: 5, "5812": 20}
                standIn:
                  bank-a: {mode: approve, maxAmountPerCardPerDay: 50000, maxCountPerCardPerDay: 3, types: [purchase, preauth]}
                """);
        assertThat(config.transactions().refundsWithoutOriginal()).isTrue();
        assertThat(config.transactions().tolerancePercent("5812")).isEqualTo(20);
        assertThat(config.transactions().tolerancePercent("5411")).isEqualTo(5);
        io.isoswitch.core.standin.StandInConfig rule = config.standInFor("bank-a");
        assertThat(rule.mode()).isEqualTo("approve");
        assertThat(rule.maxCountPerCardPerDay()).isEqualTo(3);
        assertThat(rule.failureRatePercent()).isEqualTo(io.isoswitch.core.standin.StandInConfig.DEFAULT_FAILURE_RATE_PERCENT);
        assertThat(rule.minimumCalls()).isEqualTo(io.isoswitch.core.standin.StandInConfig.DEFAULT_MINIMUM_CALLS);
        assertThat(rule.windowCalls()).isEqualTo(io.isoswitch.core.standin.StandInConfig.DEFAULT_WINDOW_CALLS);
        assertThat(rule.approves(io.isoswitch.core.txn.TransactionType.PREAUTH)).isTrue();
        assertThat(rule.approves(io.isoswitch.core.txn.TransactionType.REFUND)).isFalse();
    }

    @Test
    void withoutStandInRulesAnIssuerThatIsDownIsDeclinedAndRefundsNeedTheirOriginal() {
        SwitchConfig config = SwitchConfigLoader.load(null);
        assertThat(config.standInFor("bank-a").mode()).isEqualTo("decline");
        assertThat(config.transactions().refundsWithoutOriginal()).isFalse();
        assertThat(config.transactions().tolerancePercent("5812")).isZero();
    }

    @Test
    void rejectsStandInRulesOfAnUnknownIssuerOrMode() {
        assertThatThrownBy(() -> parse("standIn:\n  bank-z: {mode: approve}\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("standIn.bank-z");
        assertThatThrownBy(() -> parse("""
                issuers:
                  - {issuerId: bank-a, host: 127.0.0.1, port: 9000, acquiringInstitutionId: "10000000001"}
                standIn:
                  bank-a: {mode: sometimes}
                """)).isInstanceOf(ConfigException.class).hasMessageContaining("mode");
    }

    @Test
    void readsAnIssuersStoreAndForwardWindowAndDefaultsItToSixteen() {
        SwitchConfig config = parse("""
                issuers:
                  - issuerId: bank-a
                    host: 127.0.0.1
                    port: 9000
                    acquiringInstitutionId: "10000000001"
                    safWindow: 32
                  - issuerId: bank-b
                    host: 127.0.0.1
                    port: 9001
                    acquiringInstitutionId: "10000000001"
                """);
        assertThat(config.issuers()).extracting(io.isoswitch.core.issuer.IssuerConfig::safWindow).containsExactly(32, 16);
    }

    @Test
    void readsAnIssuersStaticZoneKeys() {
        SwitchConfig config = parse("""
                issuers:
                  - issuerId: bank-a
                    host: 127.0.0.1
                    port: 9000
                    acquiringInstitutionId: "10000000001"
                    staticKeys: {zpkKeyBlock: "ZPK-BLOCK", zakKeyBlock: "ZAK-BLOCK"}
                """);
        assertThat(config.issuers().getFirst().staticKeys())
                .isEqualTo(new io.isoswitch.core.issuer.IssuerConfig.StaticZoneKeys("ZPK-BLOCK", "ZAK-BLOCK"));
        assertThat(config.issuers().getFirst().zmkKeyBlock()).isNull();
    }

    @Test
    void rejectsAnUnknownKeyInsteadOfIgnoringATypo() {
        assertThatThrownBy(() -> parse("jurnal:\n  url: jdbc:h2:mem:x\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("test.yaml")
                .hasMessageContaining("jurnal");
    }

    @Test
    void anUnknownKeyIsNamedByItsPathWithTheKeysAllowedThereAndNoClassNames() {
        assertThatThrownBy(() -> parse("journal:\n  urll: jdbc:h2:mem:x\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("test.yaml: unknown key journal.urll (a typo? keys here: ")
                .hasMessageContaining("url, user, writerThreads")
                .hasMessageNotContaining("io.isoswitch");
        assertThatThrownBy(() -> parse("listeners:\n  - {dialect: iso87binary, port: 1}\n  - {dialect: cup-pos, prot: 2}\n"))
                .hasMessageStartingWith("test.yaml: unknown key listeners[1].prot (a typo? keys here: ");
    }

    /**
     * Regression (an outside review): a limit under a mistyped transaction type ({@code purchase},
     * {@code PURCHSE}) loaded without a word and limited nothing; it is refused with the types allowed.
     */
    @Test
    void aLimitUnderAnUnknownTransactionTypeIsRefusedWithTheTypesAllowed() {
        assertThatThrownBy(() -> parse("limits:\n  merchants:\n    M1:\n      merchant: {purchase: {dailyCount: 2}}\n"))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(printed(e)).contains("test.yaml").contains("unknown transaction type 'purchase'")
                        .contains("did you mean PURCHASE?").contains("PREAUTH_COMPLETION_ADVICE"));
        assertThatThrownBy(() -> parse("limits:\n  categories:\n    default:\n      card: {PURCHSE: {dailyCount: 2}}\n"))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(printed(e)).contains("unknown transaction type 'PURCHSE'"));
    }

    /** What the command line prints: the messages of the whole cause chain. */
    private static String printed(Throwable e) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            text.append(t.getMessage()).append(" | ");
        }
        return text.toString();
    }

    @Test
    void aValueOfTheWrongKindIsNamedByKeyAndLineInAPersonsWordsWithNoClassNames() {
        // regression: these printed Jackson's text twice, with Java class and type names
        assertThat(printed(catchThrowable(() -> parse("ops: {port: abc}\n"))))
                .startsWith("test.yaml (line 1, column 13): ops.port: expected a whole number, found \"abc\"")
                .doesNotContain("io.isoswitch", "java.", "Cannot deserialize");
        assertThat(printed(catchThrowable(() -> parse("listeners: {dialect: x}\n"))))
                .startsWith("test.yaml (line 1, column 12): listeners: expected a list (- item, or [a, b]), found a mapping")
                .doesNotContain("io.isoswitch", "java.", "Cannot deserialize");
        assertThat(printed(catchThrowable(() -> parse("ops: [1]\n"))))
                .startsWith("test.yaml (line 1, column 6): ops: expected a mapping (key: value, or {key: value}), found a list")
                .doesNotContain("io.isoswitch", "java.");
        assertThat(printed(catchThrowable(() -> parse("journal:\n  urll: x\n"))))
                .doesNotContain("io.isoswitch", "Unrecognized property");
        assertThat(printed(catchThrowable(() -> parse("ops: [1\n"))))
                .startsWith("test.yaml (line ").doesNotContain("io.isoswitch");
    }

    @Test
    void rejectsAPortOutOfRangeNamingTheKey() {
        assertThatThrownBy(() -> parse("listeners:\n  - dialect: iso87binary\n    port: 70000\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("listeners[iso87binary].port = 70000");
    }

    @Test
    void rejectsTwoListenersOnOnePort() {
        assertThatThrownBy(() -> parse("""
                listeners:
                  - {dialect: iso87binary, port: 9000}
                  - {dialect: iso87ascii, port: 9000}
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("port = 9000");
    }

    @Test
    void rejectsTwoListenersOfOneNameSinceTheyWouldShareTheirMeters() {
        // no names: both are "iso87binary", and the second's connections went uncounted
        assertThatThrownBy(() -> parse("""
                listeners:
                  - {dialect: iso87binary, port: 9000}
                  - {dialect: iso87binary, port: 9001}
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("listeners[].name = iso87binary");
        assertThatThrownBy(() -> parse("listeners:\n  - {name: ops, dialect: cup-pos, port: 9000}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("listeners[].name = ops");
        assertThat(parse("""
                listeners:
                  - {dialect: iso87binary, port: 9000}
                  - {name: iso87binary-2, dialect: iso87binary, port: 9001}
                """).listeners()).extracting(ListenerConfig::name).containsExactly("iso87binary", "iso87binary-2");
    }

    @Test
    void rejectsAnUnknownTimeZone() {
        assertThatThrownBy(() -> parse("businessZone: Mars/Olympus\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("businessZone = Mars/Olympus");
    }

    @Test
    void theLoggedDescriptionMasksEverySecret() {
        SwitchConfig config = parse("""
                ops: {token: s3cret-token}
                journal:
                  url: jdbc:postgresql://db:5432/switch?user=sw&password=hunter2
                  password: hunter2
                """);
        String described = SwitchConfigLoader.describe(config);
        assertThat(described).doesNotContain("s3cret-token").doesNotContain("hunter2").contains("******");
        assertThat(config.toString()).doesNotContain("s3cret-token").doesNotContain("hunter2");
    }

    /**
     * Regression: the start-up log showed every issuer's ZMK key block and the configured PAN key
     * blocks in full, though IssuerConfig's own toString masks the ZMK.
     */
    @Test
    void theLoggedDescriptionMasksKeyBlocks() {
        SwitchConfig config = parse("""
                security: {panTokenKey: D0144TOKENBLOCK, panDataKey: D0144DATABLOCK}
                issuers:
                  - {issuerId: bank-a, host: 10.0.0.21, port: 9000, acquiringInstitutionId: "10000000001", zmkKeyBlock: D0144ZMKBLOCK}
                """);
        String described = SwitchConfigLoader.describe(config);
        assertThat(described).doesNotContain("TOKENBLOCK").doesNotContain("DATABLOCK").doesNotContain("ZMKBLOCK")
                .contains("zmkKeyBlock: \"******\"");
        assertThat(config.issuers().getFirst().zmkKeyBlock()).isEqualTo("D0144ZMKBLOCK");
    }
}
