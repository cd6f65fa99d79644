package io.isoswitch.core.issuer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.isoswitch.core.config.ConfigException;
import io.isoswitch.security.ExportedKey;
import io.isoswitch.security.KeyAlgorithm;
import io.isoswitch.security.KeyKind;
import io.isoswitch.security.SecureKey;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

class ZoneKeyImportTest {
    private final ZoneKeys keys = new ZoneKeys();
    private final IssuerConfig config = IssuerConfig.of("bank-a", "127.0.0.1", 9000, "123456").withZmk(keys.switchZmk.keyBlock());
    private final ZoneKeyImport zoneKeys = new ZoneKeyImport(config, keys.switchHsm, Clock.systemUTC());
    private final SecureKey zpk = keys.issuerHsm.generateKey(KeyKind.ZPK, KeyAlgorithm.TDES_2KEY);
    private final SecureKey zak = keys.issuerHsm.generateKey(KeyKind.ZAK, KeyAlgorithm.TDES_2KEY);

    @Test
    void importsTheZpkAndZakTheIssuerExportedUnderTheSharedZmk() {
        String field48 = ZoneKeyData.format(List.of(keys.issuerHsm.exportKey(zpk, keys.issuerZmk),
                keys.issuerHsm.exportKey(zak, keys.issuerZmk)));

        WorkingKeys imported = zoneKeys.fromSignOn(field48);

        assertThat(field48).hasSize(80);
        assertThat(imported.zonePinKey().kind()).isEqualTo(KeyKind.ZPK);
        assertThat(imported.zonePinKey().kcv()).isEqualTo(zpk.kcv());
        assertThat(imported.zoneMacKey().kind()).isEqualTo(KeyKind.ZAK);
        assertThat(imported.zoneMacKey().kcv()).isEqualTo(zak.kcv());
    }

    @Test
    void aCheckValueThatDoesNotMatchFailsTheSignOn() {
        ExportedKey exported = keys.issuerHsm.exportKey(zpk, keys.issuerZmk);
        byte[] wrongCheckValue = exported.checkValue();
        wrongCheckValue[0] ^= 0x01;

        assertThatThrownBy(() -> zoneKeys.fromSignOn(ZoneKeyData.format(List.of(new ExportedKey(exported.cryptogram(), wrongCheckValue)))))
                .isInstanceOf(KeyExchangeException.class).hasMessageContaining("bank-a");
    }

    @Test
    void aSignOnAnswerWithoutKeysOrWithMalformedKeysFailsWithoutQuotingThem() {
        assertThatThrownBy(() -> zoneKeys.fromSignOn(null)).isInstanceOf(KeyExchangeException.class)
                .hasMessageContaining("field 48");
        assertThatThrownBy(() -> zoneKeys.fromSignOn("0123456789ABCDEF0123456789ABCDEF0123456Z"))
                .isInstanceOf(KeyExchangeException.class).hasMessageNotContaining("0123456789ABCDEF");
        assertThatThrownBy(() -> zoneKeys.fromSignOn("0123456789ABCDEF")).isInstanceOf(KeyExchangeException.class)
                .hasMessageContaining("found 8 bytes");
    }

    @Test
    void aLinkWithoutZmkSignsOnWithoutKeys() {
        ZoneKeyImport none = new ZoneKeyImport(IssuerConfig.of("bank-b", "h", 1, "1"), null, Clock.systemUTC());

        assertThat(none.enabled()).isFalse();
        assertThat(none.fromSignOn(null).zonePinKey()).isNull();
    }

    @Test
    void aZmkSettingThatIsNotAZoneMasterKeyIsRefusedNamingTheKey() {
        SecureKey notZmk = keys.switchHsm.generateKey(KeyKind.ZPK, KeyAlgorithm.TDES_2KEY);

        assertThatThrownBy(() -> new ZoneKeyImport(config.withZmk(notZmk.keyBlock()), keys.switchHsm, Clock.systemUTC()))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("issuers[bank-a].zmkKeyBlock = ****")
                .hasMessageNotContaining(notZmk.keyBlock());
        assertThatThrownBy(() -> new ZoneKeyImport(config.withZmk("not a key block"), keys.switchHsm, Clock.systemUTC()))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("issuers[bank-a].zmkKeyBlock");
        assertThatThrownBy(() -> new ZoneKeyImport(config, null, Clock.systemUTC()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("no HSM");
    }

    @Test
    void staticKeysAreTheConnectionsKeysWhateverTheSignOnAnswerCarries() {
        SecureKey staticZpk = keys.switchHsm.generateKey(KeyKind.ZPK, KeyAlgorithm.TDES_2KEY);
        SecureKey staticZak = keys.switchHsm.generateKey(KeyKind.ZAK, KeyAlgorithm.TDES_2KEY);
        ZoneKeyImport fixed = new ZoneKeyImport(IssuerConfig.of("bank-b", "h", 1, "1").withStaticKeys(
                new IssuerConfig.StaticZoneKeys(staticZpk.keyBlock(), staticZak.keyBlock())), keys.switchHsm, Clock.systemUTC());

        WorkingKeys working = fixed.fromSignOn(null);

        assertThat(working.zonePinKey().kcv()).isEqualTo(staticZpk.kcv());
        assertThat(working.zoneMacKey().kcv()).isEqualTo(staticZak.kcv());
    }

    @Test
    void aStaticKeyOfTheWrongKindIsRefusedNamingItsSetting() {
        SecureKey zakAsZpk = keys.switchHsm.generateKey(KeyKind.ZAK, KeyAlgorithm.TDES_2KEY);

        assertThatThrownBy(() -> new ZoneKeyImport(IssuerConfig.of("bank-b", "h", 1, "1").withStaticKeys(
                new IssuerConfig.StaticZoneKeys(zakAsZpk.keyBlock(), null)), keys.switchHsm, Clock.systemUTC()))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("issuers[bank-b].staticKeys.zpkKeyBlock = ****")
                .hasMessageNotContaining(zakAsZpk.keyBlock());
    }
}
