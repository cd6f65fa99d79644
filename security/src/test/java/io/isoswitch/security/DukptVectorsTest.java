package io.isoswitch.security;

import static io.isoswitch.security.TestHsm.HSM;
import static io.isoswitch.security.TestHsm.hex;
import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.security.internal.AesDukpt;
import io.isoswitch.security.internal.Ciphers;
import io.isoswitch.security.internal.TdesDukpt;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** DUKPT vectors: test-vectors.md section 3 (X9.24-1:2009 A.4 and the X9.24-3-2017 supplement). */
class DukptVectorsTest {
    private static final String BDK = "0123456789ABCDEFFEDCBA9876543210";
    private static final byte[] DUKPT_MSG = "4012345678909D987".getBytes(StandardCharsets.US_ASCII);
    private static final String PAN = "4012345678909";

    private static byte[] ksn(String counterHex) {
        return hex("FFFF9876543210E" + counterHex);
    }

    /** The PIN 1234 for PAN 4012345678909 as a block under the counter's DUKPT PIN key. */
    private static String pinBlock(String ksnHex) {
        SecureKey bdk = TestHsm.tdes(KeyKind.BDK, BDK);
        return hex(HSM.encryptPinDukpt(bdk, Ksn.parse(ksnHex), "1234", PAN, PinBlockFormat.ISO_0));
    }

    // 3.1 TDES DUKPT
    @Test
    void tdesDukptIpek() {
        assertThat(hex(TdesDukpt.ipek(hex(BDK), ksn("00000")))).isEqualTo("6AC292FAA1315B4D858AB3A3D7D5933A");
    }

    private static void counter(String counter, String base, String pinKey, String block) {
        byte[] ipek = TdesDukpt.ipek(hex(BDK), ksn(counter));
        byte[] transaction = TdesDukpt.transactionKey(ipek, ksn(counter));
        assertThat(hex(transaction)).isEqualTo(base);
        assertThat(hex(TdesDukpt.workingKey(transaction, DukptKeyUsage.PIN))).isEqualTo(pinKey);
        assertThat(pinBlock("FFFF9876543210E" + counter)).isEqualTo(block);
    }

    @Test
    void tdesDukptCounter1() {
        counter("00001", "042666B49184CFA368DE9628D0397BC9", "042666B49184CF5C68DE9628D0397B36", "1B9C1845EB993A7A");
    }

    @Test
    void tdesDukptCounter2() {
        counter("00002", "C46551CEF9FD24B0AA9AD834130D3BC7", "C46551CEF9FD244FAA9AD834130D3B38", "10A01C8D02C69107");
    }

    @Test
    void tdesDukptCounter3() {
        counter("00003", "0DF3D9422ACA56E547676D07AD6BADFA", "0DF3D9422ACA561A47676D07AD6BAD05", "18DC07B94797B466");
    }

    @Test
    void tdesDukptCounter4() {
        counter("00004", "279C0F6AEED0BE652B2C733E1383AE91", "279C0F6AEED0BE9A2B2C733E1383AE6E", "0BC79509D5645DF7");
    }

    @Test
    void tdesDukptCounter5() {
        counter("00005", "5F8DC6D2C845C125508DDC048093B83F", "5F8DC6D2C845C1DA508DDC048093B8C0", "5BC0AF22AD87B327");
    }

    @Test
    void tdesDukptCounters6To8() {
        assertThat(pinBlock("FFFF9876543210E00006")).isEqualTo("A16DF70AE36158D8");
        assertThat(pinBlock("FFFF9876543210E00007")).isEqualTo("27711C16CB257F8E");
        assertThat(pinBlock("FFFF9876543210E00008")).isEqualTo("50E55547A5027551");
    }

    @Test
    void tdesDukptRollover() {
        assertThat(pinBlock("FFFF9876543210EFF800")).isEqualTo("33365F5CC6F23C35");
    }

    @Test
    void tdesDukptRequestMac() {
        SecureKey bdk = TestHsm.tdes(KeyKind.BDK, BDK);
        Ksn ksn = Ksn.parse("FFFF9876543210E00001");
        byte[] mac = HSM.generateMacDukpt(bdk, ksn, DukptKeyUsage.MAC_REQUEST, MacAlgorithm.ANSI_X9_19, DUKPT_MSG);
        assertThat(hex(mac)).isEqualTo("9CCC78173FC4FB64");
        assertThat(HSM.verifyMacDukpt(bdk, ksn, DukptKeyUsage.MAC_REQUEST, MacAlgorithm.ANSI_X9_19, DUKPT_MSG, hex("9CCC7817"))).isTrue();
    }

    @Test
    void tdesDukptRequestData() {
        SecureKey bdk = TestHsm.tdes(KeyKind.BDK, BDK);
        Ksn ksn = Ksn.parse("FFFF9876543210E00001");
        byte[] padded = java.util.Arrays.copyOf(DUKPT_MSG, 24);
        byte[] encrypted = HSM.encryptDataDukpt(bdk, ksn, DukptKeyUsage.DATA_REQUEST, padded);
        assertThat(hex(encrypted)).isEqualTo("FC0D53B7EA1FDA9EE68AAF2E70D9B9506229BE2AA993F04F");
        assertThat(HSM.decryptDataDukpt(bdk, ksn, DukptKeyUsage.DATA_REQUEST, encrypted)).isEqualTo(padded);
    }

    // 3.2 AES DUKPT, AES-128 BDK
    private static final String AES_BDK = "FEDCBA9876543210F1F1F1F1F1F1F1F1";

    private static byte[] aesKsn(int counter) {
        return hex("1234567890123456" + String.format("%08X", counter));
    }

    private static String derivationKey(int counter) {
        byte[] ik = AesDukpt.initialKey(KeyAlgorithm.AES_128, hex(AES_BDK), aesKsn(counter));
        return hex(AesDukpt.derivationKey(KeyAlgorithm.AES_128, ik, aesKsn(counter)));
    }

    private static String working(int counter, DukptKeyUsage usage) {
        return hex(AesDukpt.derive(KeyAlgorithm.AES_128, hex(AES_BDK), aesKsn(counter), usage, KeyAlgorithm.AES_128));
    }

    @Test
    void aesDukptInitialKey() {
        assertThat(hex(AesDukpt.initialKey(KeyAlgorithm.AES_128, hex(AES_BDK), aesKsn(0)))).isEqualTo("1273671EA26AC29AFA4D1084127652A1");
    }

    @Test
    void aesDukptCounter1() {
        assertThat(derivationKey(1)).isEqualTo("4F21B565BAD9835E112B6465635EAE44");
        assertThat(working(1, DukptKeyUsage.PIN)).isEqualTo("AF8CB133A78F8DC2D1359F18527593FB");
        assertThat(working(1, DukptKeyUsage.MAC_REQUEST)).isEqualTo("A2DC23DE6FDE0824A2BC321E08E4B8B7");
        assertThat(working(1, DukptKeyUsage.DATA_REQUEST)).isEqualTo("A35C412EFD41FDB98B69797C02DCD08F");
    }

    @Test
    void aesDukptCounter2() {
        assertThat(derivationKey(2)).isEqualTo("2F34D68DE10F68D38091A73B9E7C437C");
        assertThat(working(2, DukptKeyUsage.PIN)).isEqualTo("D30BDC73EC9714B000BEC66BDB7B6D09");
    }

    @Test
    void aesDukptDerivationKeys3To8() {
        String[] expected = {"031504E530365CF81264238540518318", "0EEFC7ADA628BA68878DA9165A8A1887",
                "C2A7AC328A5DA2D6002D62465BFC028B", "D30F7D9351DA58448A2F5E92B4EE3B7D",
                "A8253CEED9AC042C54F75D35C8352278", "718EE6CF0B27E53D5F7AF99C4D8146A2"};
        for (int counter = 3; counter <= 8; counter++) {
            assertThat(derivationKey(counter)).as("counter %d", counter).isEqualTo(expected[counter - 3]);
        }
    }

    @Test
    void aesDukptIso4Counters1To3() {
        String[] expected = {"A912150391AB65A67E52883D81CE2D15", "52A00503BD34BA1383F6A7EE9FE2547F", "A5A27E82B43A9A866A93D7ABE89CEF93"};
        for (int counter = 1; counter <= 3; counter++) {
            byte[] pinKey = hex(working(counter, DukptKeyUsage.PIN));
            byte[] block = io.isoswitch.security.internal.PinBlocks.iso4Encipher(
                    Ciphers.encryptor(KeyAlgorithm.AES_128, pinKey), hex("441234AAAAAAAAAA2F69ADDE2E9E7ACE"), "4111111111111111");
            assertThat(hex(block)).as("counter %d", counter).isEqualTo(expected[counter - 1]);
        }
        // and through the HSM: the counter-1 block translates to format 0 under a TPK and back to 1234
        SecureKey bdk = TestHsm.key(KeyKind.BDK, KeyAlgorithm.AES_128, AES_BDK);
        SecureKey zpk = TestHsm.tdes(KeyKind.ZPK, "E0F4543F3E2A2C5FFC7E5E5A222E3E4D");
        byte[] iso0 = HSM.translatePinFromDukpt(bdk, Ksn.of(aesKsn(1)), hex(expected[0]), PinBlockFormat.ISO_4,
                "4111111111111111", zpk, PinBlockFormat.ISO_0);
        assertThat(hex(iso0)).isEqualTo("6042012526A9C2E0");
    }

    @Test
    void aesDukptCmacRequest() {
        SecureKey bdk = TestHsm.key(KeyKind.BDK, KeyAlgorithm.AES_128, AES_BDK);
        byte[] mac = HSM.generateMacDukpt(bdk, Ksn.of(aesKsn(1)), DukptKeyUsage.MAC_REQUEST, MacAlgorithm.AES_CMAC, DUKPT_MSG);
        assertThat(hex(mac)).isEqualTo("A2EB5C1C35809E58404E873C3C411E31");
    }

    @Test
    void aesDukptCmacResponse() {
        SecureKey bdk = TestHsm.key(KeyKind.BDK, KeyAlgorithm.AES_128, AES_BDK);
        byte[] mac = HSM.generateMacDukpt(bdk, Ksn.of(aesKsn(1)), DukptKeyUsage.MAC_RESPONSE, MacAlgorithm.AES_CMAC, DUKPT_MSG);
        assertThat(hex(mac)).isEqualTo("DD4E1895FD9BF53D8DAF25568ABF551D");
    }
}
