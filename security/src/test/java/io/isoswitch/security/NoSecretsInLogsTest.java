package io.isoswitch.security;

import static io.isoswitch.security.TestHsm.hex;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Drives every HSM operation, good and bad, with logging at TRACE, and scans every log line,
 * every exception message and every toString() for the clear keys, PINs and PANs used.
 */
class NoSecretsInLogsTest {
    private static final String LMK_HEX = "5A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4E5F60718293A4B5C6D7E8F9";
    private static final String TPK_HEX = "0D1C2B3A49586776859493A2B1C0DFEE";
    private static final String ZPK_HEX = "1F2E3D4C5B6A79889786A5B4C3D2E1F0";
    private static final String AES_ZPK_HEX = "C1D0F8FB4958670DBA40AB1F3752EF0D";
    private static final String TAK_HEX = "2A3B4C5D6E7F80919AABBCCDDEEFF012";
    private static final String PVK_HEX = "3B4C5D6E7F8091A2B3C4D5E6F7081929";
    private static final String CVK_HEX = "4C5D6E7F8091A2B3C4D5E6F708192A3B";
    private static final String BDK_HEX = "5D6E7F8091A2B3C4D5E6F708192A3B4C";
    private static final String ZMK_HEX = "6E7F8091A2B3C4D5E6F708192A3B4C5D";
    private static final String TMK_HEX = "7F8091A2B3C4D5E6F708192A3B4C5D6E";
    private static final String HMAC_HEX = "8091A2B3C4D5E6F708192A3B4C5D6E7F8091A2B3C4D5E6F708192A3B4C5D6E7F";
    private static final String DATA_HEX = "91A2B3C4D5E6F708192A3B4C5D6E7F8091A2B3C4D5E6F708192A3B4C5D6E7F80";
    private static final String TDK_HEX = "A2B3C4D5E6F708192A3B4C5D6E7F8091";
    private static final String PIN = "739105";
    private static final String OTHER_PIN = "48213957";
    private static final String PAN = "4761739001010119";

    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final List<String> seen = new ArrayList<>();
    private Logger root;
    private Level previous;

    @BeforeEach
    void captureAtTrace() {
        root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        previous = root.getLevel();
        root.setLevel(Level.TRACE);
        appender.start();
        root.addAppender(appender);
    }

    @AfterEach
    void restore() {
        root.detachAppender(appender);
        root.setLevel(previous);
    }

    private void attempt(Runnable operation) {
        try {
            operation.run();
        } catch (RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                seen.add(String.valueOf(t.getMessage()));
                seen.add(t.toString());
            }
        }
    }

    private SecureKey form(SoftwareHsm hsm, KeyKind kind, KeyAlgorithm algorithm, String clearHex) {
        List<byte[]> components = new ArrayList<>();
        components.add(hex(clearHex));
        SecureKey key = hsm.formKey(kind, algorithm, components);
        seen.add(key.toString());
        return key;
    }

    @Test
    void noKeyPinOrPanAppearsInLogsExceptionsOrToString() {
        LocalMasterKey lmk = LocalMasterKey.fromHex(LMK_HEX);
        SoftwareHsm hsm = new SoftwareHsm(lmk, new SecureRandom());
        seen.add(lmk.toString());
        seen.add(hsm.toString());
        SecureKey tpk = form(hsm, KeyKind.TPK, KeyAlgorithm.TDES_2KEY, TPK_HEX);
        SecureKey zpk = form(hsm, KeyKind.ZPK, KeyAlgorithm.TDES_2KEY, ZPK_HEX);
        SecureKey aesZpk = form(hsm, KeyKind.ZPK, KeyAlgorithm.AES_128, AES_ZPK_HEX);
        SecureKey tak = form(hsm, KeyKind.TAK, KeyAlgorithm.TDES_2KEY, TAK_HEX);
        SecureKey pvk = form(hsm, KeyKind.PVK, KeyAlgorithm.TDES_2KEY, PVK_HEX);
        SecureKey cvk = form(hsm, KeyKind.CVK, KeyAlgorithm.TDES_2KEY, CVK_HEX);
        SecureKey bdk = form(hsm, KeyKind.BDK, KeyAlgorithm.TDES_2KEY, BDK_HEX);
        SecureKey zmk = form(hsm, KeyKind.ZMK, KeyAlgorithm.TDES_2KEY, ZMK_HEX);
        SecureKey tmk = form(hsm, KeyKind.TMK, KeyAlgorithm.TDES_2KEY, TMK_HEX);
        SecureKey hmac = form(hsm, KeyKind.HMAC, KeyAlgorithm.AES_256, HMAC_HEX);
        SecureKey data = form(hsm, KeyKind.DATA, KeyAlgorithm.AES_256, DATA_HEX);
        SecureKey tdk = form(hsm, KeyKind.TDK, KeyAlgorithm.TDES_2KEY, TDK_HEX);
        Ksn ksn = Ksn.parse("FFFF9876543210E00003");

        byte[] block = hsm.encryptPin(tpk, PIN, PAN, PinBlockFormat.ISO_0);
        byte[] translated = hsm.translatePin(tpk, block, PinBlockFormat.ISO_0, PAN, zpk, PinBlockFormat.ISO_3);
        hsm.translatePin(zpk, translated, PinBlockFormat.ISO_3, PAN, aesZpk, PinBlockFormat.ISO_4);
        byte[] dukptBlock = hsm.encryptPinDukpt(bdk, ksn, OTHER_PIN, PAN, PinBlockFormat.ISO_1);
        hsm.translatePinFromDukpt(bdk, ksn, dukptBlock, PinBlockFormat.ISO_1, PAN, zpk, PinBlockFormat.ISO_0);
        String offset = hsm.ibm3624Offset(tpk, block, PinBlockFormat.ISO_0, PAN, pvk, "0123456789012345", "4761739001FFFFFF", 4);
        hsm.verifyPinIbm3624(tpk, block, PinBlockFormat.ISO_0, PAN, pvk, "0123456789012345", "4761739001FFFFFF", offset);
        String pvv = hsm.visaPvv(tpk, block, PinBlockFormat.ISO_0, PAN, pvk, 1);
        hsm.verifyPinVisaPvv(tpk, block, PinBlockFormat.ISO_0, PAN, pvk, 1, pvv);
        byte[] message = "0200 purchase".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        for (MacAlgorithm algorithm : new MacAlgorithm[] {MacAlgorithm.ANSI_X9_19, MacAlgorithm.CUP_ECB, MacAlgorithm.ISO9797_1_ALG1_PAD2}) {
            byte[] mac = hsm.generateMac(tak, algorithm, message, 0, message.length);
            hsm.verifyMac(tak, algorithm, message, 0, message.length, mac);
        }
        hsm.verifyMacDukpt(bdk, ksn, DukptKeyUsage.MAC_REQUEST, MacAlgorithm.ANSI_X9_19, message,
                hsm.generateMacDukpt(bdk, ksn, DukptKeyUsage.MAC_REQUEST, MacAlgorithm.ANSI_X9_19, message));
        hsm.decryptDataDukpt(bdk, ksn, DukptKeyUsage.DATA_REQUEST, hsm.encryptDataDukpt(bdk, ksn, DukptKeyUsage.DATA_REQUEST, new byte[16]));
        hsm.decryptData(tdk, hsm.encryptData(tdk, new byte[8]));
        hsm.verifyCvv(cvk, PAN, "2812", "101", hsm.generateCvv(cvk, PAN, "2812", "101"));
        hsm.decryptPan(data, hsm.encryptPan(data, PAN));
        hsm.panToken(hmac, PAN);
        SecureKey generated = hsm.generateKey(KeyKind.TPK, KeyAlgorithm.TDES_2KEY);
        ExportedKey exported = hsm.exportKey(generated, tmk);
        seen.add(exported.toString());
        SecureKey zoneKey = hsm.importKey(KeyKind.ZPK, KeyAlgorithm.TDES_2KEY, hsm.exportKey(zpk, zmk).cryptogram(), zmk, null);
        seen.add(zoneKey.toString());
        seen.add(hsm.importKeyBlock(hsm.exportKeyBlock(zpk, zmk), zmk).toString());
        seen.add(hsm.loadKey(tpk.keyBlock()).toString());
        seen.add(ksn.toString());

        // failures: wrong kinds, wrong keys, wrong PAN, malformed inputs
        attempt(() -> hsm.encryptPin(tak, PIN, PAN, PinBlockFormat.ISO_0));
        attempt(() -> hsm.translatePin(zpk, block, PinBlockFormat.ISO_0, PAN, tpk, PinBlockFormat.ISO_0));
        attempt(() -> hsm.translatePin(tpk, block, PinBlockFormat.ISO_3, PAN, zpk, PinBlockFormat.ISO_0));
        attempt(() -> hsm.translatePin(tpk, block, PinBlockFormat.ISO_0, "4761739001010127", zpk, PinBlockFormat.ISO_0));
        attempt(() -> hsm.encryptPin(tpk, PIN + "x", PAN, PinBlockFormat.ISO_0));
        attempt(() -> hsm.encryptPin(tpk, PIN, PAN + "x", PinBlockFormat.ISO_0));
        attempt(() -> hsm.encryptPin(tpk, PIN, PAN, PinBlockFormat.ISO_4));
        attempt(() -> hsm.verifyCvv(cvk, PAN, "2812", "101", "12x"));
        attempt(() -> hsm.exportKey(data, zmk));
        attempt(() -> hsm.importKey(KeyKind.ZPK, KeyAlgorithm.TDES_2KEY, new byte[16], zmk, new byte[] {1, 2, 3}));
        attempt(() -> hsm.loadKey(tpk.keyBlock().substring(0, 40) + "0".repeat(tpk.keyBlock().length() - 40)));
        attempt(() -> hsm.decryptPan(data, new byte[40]));
        attempt(() -> LocalMasterKey.fromHex(LMK_HEX.substring(2)));
        attempt(() -> hsm.formKey(KeyKind.ZMK, KeyAlgorithm.TDES_2KEY, new ArrayList<>(List.of(hex(ZMK_HEX + "00")))));

        for (ILoggingEvent event : appender.list) {
            seen.add(event.getFormattedMessage());
        }
        assertThat(appender.list).as("the HSM logs its operations at TRACE").isNotEmpty();
        assertThat(seen).anySatisfy(line -> assertThat(line).contains("translatePin"));
        List<String> secrets = new ArrayList<>(Arrays.asList(LMK_HEX, TPK_HEX, ZPK_HEX, AES_ZPK_HEX, TAK_HEX, PVK_HEX,
                CVK_HEX, BDK_HEX, ZMK_HEX, TMK_HEX, HMAC_HEX, DATA_HEX, TDK_HEX, PIN, OTHER_PIN, PAN, hex(block)));
        // every 16-hex-digit half (or less) of every key, and the PINs, PAN and PIN block whole
        List<String> fragments = new ArrayList<>();
        for (String secret : secrets) {
            for (int i = 0; i < secret.length(); i += 16) {
                fragments.add(secret.substring(i, Math.min(secret.length(), i + 16)));
            }
        }
        for (String line : seen) {
            assertThat(line.toUpperCase()).as("a log line, message or toString()").doesNotContain(fragments);
        }
    }
}
