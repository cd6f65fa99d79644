package io.isoswitch.core.emv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.isoswitch.core.config.ConfigException;
import org.junit.jupiter.api.Test;

class EmvParametersFileTest {
    private static final String KEY_08 = """
            caPublicKeys:
              - rid: A000000333
                index: "08"
                expiry: "20201231"
                exponent: "03"
                checksum: EE23B616C95C02652AD18860E48787C079E8E85A
                modulus: >-
                  B61645EDFD5498FB246444037A0FA18C0F101EBD8EFA54573CE6E6A7FBF63ED21D66340852B0211CF5EEF6A1CD989F66
                  AF21A8EB19DBD8DBC3706D135363A0D683D046304F5A836BC1BC632821AFE7A2F75DA3C50AC74C545A754562204137169663CFCC
                  0B06E67E2109EBA41BC67FF20CC8AC80D7B6EE1A95465B3B2657533EA56D92D539E5064360EA4850FED2D1BF
            """;

    @Test
    void theDemoFileLoadsWithUnionPaysTestKeysAndAids() {
        EmvParameters demo = EmvParametersFile.parse(EmvParametersFile.demoText(), "demo");
        assertThat(demo.caPublicKeys()).extracting(CaPublicKey::name)
                .containsExactly("A000000333/02", "A000000333/03", "A000000333/04", "A000000333/08");
        assertThat(demo.applications()).extracting(EmvApplication::aid)
                .containsExactly("A000000333010101", "A000000333010102", "A000000333010103", "A000000333010106");
    }

    @Test
    void aPublishedKeyLoadsWithItsChecksumAndItsDefaults() {
        CaPublicKey key = EmvParametersFile.parse(KEY_08, "test").key("A000000333/08").orElseThrow();
        assertThat(key.hashAlgorithm()).isEqualTo("01");
        assertThat(key.modulus()).hasSize(288).doesNotContain(" ");
    }

    @Test
    void aModulusWithOneDigitWrongFailsItsChecksumNamingKeyLineAndColumn() {
        String broken = KEY_08.replace("B61645EDFD", "B61645EDFE");
        assertThatThrownBy(() -> EmvParametersFile.parse(broken, "emv.yaml")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("emv.yaml (line ")
                .hasMessageContaining("column")
                .hasMessageContaining("caPublicKeys[0]")
                .hasMessageContaining("key A000000333/08: checksum: EE23B616C95C02652AD18860E48787C079E8E85A is not SHA-1");
    }

    @Test
    void rejectsAnExpiryThatIsNoDate() {
        assertThatThrownBy(() -> EmvParametersFile.parse(KEY_08.replace("20201231", "20201331"), "emv.yaml"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("expiry: expected a date YYYYMMDD, found '20201331'");
    }

    @Test
    void rejectsAnUnknownKeyNamingIt() {
        assertThatThrownBy(() -> EmvParametersFile.parse(KEY_08.replace("exponent:", "hashAlgoritm: \"01\"\n    exponent:"), "emv.yaml"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("unknown key caPublicKeys[0].hashAlgoritm")
                .hasMessageContaining("emv.yaml (line 5, column 5)");
    }

    @Test
    void rejectsAnAidValueOfTheWrongLengthNamingTheAidAndTheKey() {
        String yaml = """
                applications:
                  - {aid: A000000333010101, applicationVersion: "0020", tacDefault: D84000A8, tacOnline: D84004F800,
                     tacDenial: "0010000000", floorLimit: "00000000", randomSelectionThreshold: "00000000",
                     maxTargetPercentage: "99", targetPercentage: "99", defaultDdol: 9F3704, onlinePin: "01"}
                """;
        assertThatThrownBy(() -> EmvParametersFile.parse(yaml, "emv.yaml")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("applications[0]")
                .hasMessageContaining("A000000333010101: tacDefault: expected 5 bytes (10 hex digits), found 4 bytes");
    }

    @Test
    void namesEveryRequiredAidValueThatIsMissing() {
        assertThatThrownBy(() -> EmvParametersFile.parse("applications:\n  - {aid: A000000333010101}\n", "emv.yaml"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("missing applicationVersion, tacDefault");
    }

    @Test
    void rejectsHexThatIsNotHex() {
        assertThatThrownBy(() -> EmvParametersFile.parse(KEY_08.replace("rid: A000000333", "rid: A00000033G"), "emv.yaml"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("rid: expected an even number of hex digits");
    }

    @Test
    void rejectsTheSameKeyTwice() {
        String twice = KEY_08 + KEY_08.substring(KEY_08.indexOf("  - rid"));
        assertThatThrownBy(() -> EmvParametersFile.parse(twice, "emv.yaml")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("two entries with RID and index A000000333/08");
    }

    @Test
    void anEmptyFileIsNoDownloads() {
        assertThat(EmvParametersFile.parse("", "emv.yaml").caPublicKeys()).isEmpty();
    }
}
