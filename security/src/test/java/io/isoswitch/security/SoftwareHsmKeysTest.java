package io.isoswitch.security;

import static io.isoswitch.security.TestHsm.HSM;
import static io.isoswitch.security.TestHsm.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.isoswitch.security.internal.Ciphers;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Key life cycle through the HSM: generate, form, load, export under TMK/ZMK, import, PAN protection. */
class SoftwareHsmKeysTest {

    @Test
    void generatedKeysAreKeyBlocksUnderTheLmkWithKindAndKcv() {
        SecureKey tpk = HSM.generateKey(KeyKind.TPK, KeyAlgorithm.TDES_2KEY);
        assertThat(tpk.keyBlock()).startsWith("D").contains("P0T");
        assertThat(tpk.toString()).isEqualTo("SecureKey[TPK TDES_2KEY kcv=" + tpk.kcv() + "]");
        SecureKey loaded = HSM.loadKey(tpk.keyBlock());
        assertThat(loaded).isEqualTo(tpk);
        assertThat(loaded.kind()).isEqualTo(KeyKind.TPK);
        assertThat(loaded.kcv()).isEqualTo(tpk.kcv());
    }

    @Test
    void everyKindAndAlgorithmItAllowsCanBeGenerated() {
        for (KeyKind kind : KeyKind.values()) {
            for (KeyAlgorithm algorithm : KeyAlgorithm.values()) {
                try {
                    KeyVault.checkAlgorithm(kind, algorithm);
                } catch (KeyUsageException e) {
                    assertThatThrownBy(() -> HSM.generateKey(kind, algorithm)).isInstanceOf(KeyUsageException.class);
                    continue;
                }
                SecureKey key = HSM.generateKey(kind, algorithm);
                assertThat(HSM.loadKey(key.keyBlock()).algorithm()).isEqualTo(algorithm);
            }
        }
    }

    @Test
    void aKeyIsSingleLengthOnlyWhenItsTwoHalvesAreEqual() {
        assertThat(HSM.singleLength(HSM.generateSingleLengthKey(KeyKind.TAK))).isTrue();
        assertThat(HSM.singleLength(HSM.generateKey(KeyKind.TAK, KeyAlgorithm.TDES_2KEY))).isFalse();
        assertThat(HSM.singleLength(HSM.generateKey(KeyKind.TAK, KeyAlgorithm.TDES_3KEY))).isFalse();
        assertThat(HSM.singleLength(HSM.formKey(KeyKind.TAK, KeyAlgorithm.TDES_2KEY,
                List.of(HexFormat.of().parseHex("0123456789ABCDEF0123456789ABCDEF"))))).isTrue();
    }

    @Test
    void aKeyBlockFromAnotherLmkIsRefused() {
        SoftwareHsm other = new SoftwareHsm(LocalMasterKey.generate(new SecureRandom()));
        SecureKey foreign = other.generateKey(KeyKind.ZPK, KeyAlgorithm.TDES_2KEY);
        assertThatThrownBy(() -> HSM.loadKey(foreign.keyBlock())).isInstanceOf(KeyBlockException.class);
    }

    @Test
    void formsAKeyFromComponentsAndWipesThem() {
        List<byte[]> components = new ArrayList<>();
        components.add(hex("0123456789ABCDEF0123456789ABCDEF"));
        components.add(hex("00000000000000000000000000000000"));
        components.add(hex("00000000000000000000000000000000"));
        SecureKey key = HSM.formKey(KeyKind.ZMK, KeyAlgorithm.TDES_2KEY, components);
        assertThat(key.kcv()).isEqualTo(TestHsm.tdes(KeyKind.ZMK, "0123456789ABCDEF0123456789ABCDEF").kcv());
        assertThat(components).allSatisfy(c -> assertThat(c).containsOnly(0));
    }

    @Test
    void exportsWorkingKeysUnderTheTmkAsSignOnRepliesCarryThem() {
        SecureKey tmk = TestHsm.tdes(KeyKind.TMK, "0123456789ABCDEFFEDCBA9876543210");
        SecureKey tpk = TestHsm.tdes(KeyKind.TPK, "6AC292FAA1315B4D858AB3A3D7D5933A");
        ExportedKey exported = HSM.exportKey(tpk, tmk);
        byte[] clear = Ciphers.ecb(Ciphers.decryptor(KeyAlgorithm.TDES_2KEY, hex("0123456789ABCDEFFEDCBA9876543210")), exported.cryptogram());
        // the key as formed, with DES odd parity forced on each byte (6A -> 6B, ..., 3A -> 3B)
        assertThat(hex(clear)).isEqualTo("6BC292FBA1315B4C858AB3A2D6D5923B");
        assertThat(hex(exported.checkValue())).isEqualTo("AF8C074A");
        assertThat(exported.toString()).doesNotContain(hex(exported.cryptogram()));
    }

    @Test
    void aSingleLengthKeyIsExportedAsOneDesKeyTwiceAndMacsAsSingleDes() throws Exception {
        SecureKey tmk = TestHsm.tdes(KeyKind.TMK, "0123456789ABCDEFFEDCBA9876543210");
        SecureKey tak = HSM.generateSingleLengthKey(KeyKind.TAK);
        assertThat(HSM.loadKey(tak.keyBlock())).isEqualTo(tak);
        ExportedKey exported = HSM.exportKey(tak, tmk);
        byte[] cryptogram = exported.cryptogram();
        assertThat(java.util.Arrays.copyOfRange(cryptogram, 0, 8)).isEqualTo(java.util.Arrays.copyOfRange(cryptogram, 8, 16));
        byte[] clear = Ciphers.ecb(Ciphers.decryptor(KeyAlgorithm.TDES_2KEY, hex("0123456789ABCDEFFEDCBA9876543210")), cryptogram);
        javax.crypto.Cipher des = javax.crypto.Cipher.getInstance("DES/ECB/NoPadding");
        des.init(javax.crypto.Cipher.ENCRYPT_MODE, new javax.crypto.spec.SecretKeySpec(java.util.Arrays.copyOf(clear, 8), "DES"));
        assertThat(java.util.Arrays.copyOf(exported.checkValue(), 4)).isEqualTo(java.util.Arrays.copyOf(des.doFinal(new byte[8]), 4));
        // ISO 9797-1 algorithm 1 of one block is single DES of it under the one key
        byte[] block = hex("0102030405060708");
        assertThat(HSM.generateMac(tak, MacAlgorithm.ISO9797_1_ALG1_PAD1, block, 0, 8)).isEqualTo(des.doFinal(block));
    }

    @Test
    void importsWhatWasExportedUnderTheSameZmk() {
        SecureKey zmk = HSM.generateKey(KeyKind.ZMK, KeyAlgorithm.TDES_2KEY);
        SecureKey zpk = HSM.generateKey(KeyKind.ZPK, KeyAlgorithm.TDES_2KEY);
        ExportedKey exported = HSM.exportKey(zpk, zmk);
        SecureKey imported = HSM.importKey(KeyKind.ZPK, KeyAlgorithm.TDES_2KEY, exported.cryptogram(), zmk, exported.checkValue());
        assertThat(imported.kcv()).isEqualTo(zpk.kcv());
        assertThatThrownBy(() -> HSM.importKey(KeyKind.ZPK, KeyAlgorithm.TDES_2KEY, exported.cryptogram(), zmk, hex("000000")))
                .isInstanceOf(HsmException.class).hasMessageContaining("check value does not match");
    }

    @Test
    void exportsAndImportsTr31BlocksUnderTdesAndAesZoneKeys() {
        for (KeyAlgorithm zmkAlgorithm : new KeyAlgorithm[] {KeyAlgorithm.TDES_2KEY, KeyAlgorithm.AES_256}) {
            SecureKey zmk = HSM.generateKey(KeyKind.ZMK, zmkAlgorithm);
            SecureKey zak = HSM.generateKey(KeyKind.ZAK, KeyAlgorithm.TDES_2KEY);
            String block = HSM.exportKeyBlock(zak, zmk);
            assertThat(block).startsWith(zmkAlgorithm.isTdes() ? "B" : "D").contains("M3T");
            SecureKey imported = HSM.importKeyBlock(block, zmk);
            assertThat(imported.kind()).isEqualTo(KeyKind.ZAK);
            assertThat(imported.kcv()).isEqualTo(zak.kcv());
        }
    }

    @Test
    void aTerminalReceivesItsWorkingKeysUnderItsTmkAsTerminalKinds() {
        SecureKey tmk = HSM.generateKey(KeyKind.TMK, KeyAlgorithm.TDES_2KEY);
        SecureKey tak = HSM.generateKey(KeyKind.TAK, KeyAlgorithm.TDES_2KEY);
        SecureKey received = HSM.importKeyBlock(HSM.exportKeyBlock(tak, tmk), tmk);
        assertThat(received.kind()).isEqualTo(KeyKind.TAK);
        ExportedKey signOn = HSM.exportKey(tak, tmk);
        assertThat(HSM.importKey(KeyKind.TAK, KeyAlgorithm.TDES_2KEY, signOn.cryptogram(), tmk, signOn.checkValue()).kcv())
                .isEqualTo(tak.kcv());
    }

    @Test
    void aTmkCannotBringInAZoneKey() {
        String tmkClear = "0123456789ABCDEFFEDCBA9876543210";
        SecureKey tmk = TestHsm.tdes(KeyKind.TMK, tmkClear);
        io.isoswitch.security.internal.Tr31Header header = new io.isoswitch.security.internal.Tr31Header(
                'B', "V0", 'T', 'C', "00", 'E', java.util.Map.of());
        String pvkBlock = io.isoswitch.security.internal.Tr31.wrap(KeyAlgorithm.TDES_2KEY, hex(tmkClear), header,
                hex("6AC292FAA1315B4D858AB3A3D7D5933A"), new SecureRandom());
        assertThatThrownBy(() -> HSM.importKeyBlock(pvkBlock, tmk))
                .isInstanceOf(KeyUsageException.class).hasMessageContaining("a PVK cannot arrive under a TMK");
    }

    @Test
    void refusesToExportPanKeysOrTerminalKeysUnderTheWrongKek() {
        SecureKey tmk = HSM.generateKey(KeyKind.TMK, KeyAlgorithm.TDES_2KEY);
        SecureKey zmk = HSM.generateKey(KeyKind.ZMK, KeyAlgorithm.TDES_2KEY);
        SecureKey data = HSM.generateKey(KeyKind.DATA, KeyAlgorithm.AES_256);
        SecureKey zpk = HSM.generateKey(KeyKind.ZPK, KeyAlgorithm.TDES_2KEY);
        assertThatThrownBy(() -> HSM.exportKey(data, zmk)).isInstanceOf(KeyUsageException.class);
        assertThatThrownBy(() -> HSM.exportKey(zpk, tmk)).isInstanceOf(KeyUsageException.class);
        assertThatThrownBy(() -> HSM.exportKey(zpk, zpk)).isInstanceOf(KeyUsageException.class).hasMessageContaining("kek");
    }

    @Test
    void protectsPansWithTokensAndAuthenticatedEncryption() {
        SecureKey hmac = HSM.generateKey(KeyKind.HMAC, KeyAlgorithm.AES_256);
        SecureKey data = HSM.generateKey(KeyKind.DATA, KeyAlgorithm.AES_256);
        String pan = "4111111111111111";
        assertThat(HSM.panToken(hmac, pan)).hasSize(64).isEqualTo(HSM.panToken(hmac, pan)).isNotEqualTo(HSM.panToken(hmac, "4111111111111112"));
        byte[] encrypted = HSM.encryptPan(data, pan);
        assertThat(HSM.decryptPan(data, encrypted)).isEqualTo(pan);
        assertThat(HSM.encryptPan(data, pan)).isNotEqualTo(encrypted);
        encrypted[encrypted.length - 1] ^= 1;
        assertThatThrownBy(() -> HSM.decryptPan(data, encrypted)).isInstanceOf(HsmException.class).hasMessageContaining("authenticate");
        assertThat(Pans.mask(pan)).isEqualTo("411111******1111");
        assertThat(Pans.mask("4012345678909")).isEqualTo("401234***8909");
    }

    @Test
    void keyedEnginesReusedOnOneThreadKeepEachKeysResults() throws Exception {
        // the HMAC and the GCM cipher are keyed once per thread and key, then reused: interleaving
        // two keys on one thread must give each its own tokens and ciphertexts
        String keyHex = "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F";
        SecureKey hmacA = TestHsm.key(KeyKind.HMAC, KeyAlgorithm.AES_256, keyHex);
        SecureKey hmacB = HSM.generateKey(KeyKind.HMAC, KeyAlgorithm.AES_256);
        SecureKey dataA = HSM.generateKey(KeyKind.DATA, KeyAlgorithm.AES_256);
        SecureKey dataB = HSM.generateKey(KeyKind.DATA, KeyAlgorithm.AES_256);
        javax.crypto.Mac jce = javax.crypto.Mac.getInstance("HmacSHA256");
        jce.init(new javax.crypto.spec.SecretKeySpec(hex(keyHex), "HmacSHA256"));
        for (int i = 0; i < 50; i++) {
            String pan = "41111111111" + (10000 + i);
            assertThat(HSM.panToken(hmacA, pan)).isEqualTo(hex(jce.doFinal(pan.getBytes(java.nio.charset.StandardCharsets.US_ASCII))));
            assertThat(HSM.panToken(hmacB, pan)).isNotEqualTo(HSM.panToken(hmacA, pan));
            byte[] underA = HSM.encryptPan(dataA, pan);
            byte[] underB = HSM.encryptPan(dataB, pan);
            assertThat(HSM.decryptPan(dataA, underA)).isEqualTo(pan);
            assertThat(HSM.decryptPan(dataB, underB)).isEqualTo(pan);
            assertThatThrownBy(() -> HSM.decryptPan(dataB, underA)).isInstanceOf(HsmException.class);
        }
    }

    @Test
    void panTokenIsHmacSha256OfThePanDigits() throws Exception {
        String keyHex = "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F";
        SecureKey hmac = TestHsm.key(KeyKind.HMAC, KeyAlgorithm.AES_256, keyHex);
        javax.crypto.Mac jce = javax.crypto.Mac.getInstance("HmacSHA256");
        jce.init(new javax.crypto.spec.SecretKeySpec(hex(keyHex), "HmacSHA256"));
        String expected = hex(jce.doFinal("4111111111111111".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        assertThat(HSM.panToken(hmac, "4111111111111111")).isEqualTo(expected);
    }

    @Test
    void encryptsTrackDataUnderTheTdkInEcb() {
        SecureKey tdk = TestHsm.tdes(KeyKind.TDK, "0123456789ABCDEFFEDCBA9876543210");
        byte[] data = hex("1122334455667788");
        byte[] encrypted = HSM.encryptData(tdk, data);
        assertThat(hex(encrypted)).isEqualTo(hex(Ciphers.ecb(Ciphers.encryptor(KeyAlgorithm.TDES_2KEY, hex("0123456789ABCDEFFEDCBA9876543210")), data)));
        assertThat(HSM.decryptData(tdk, encrypted)).isEqualTo(data);
    }
}
