package io.isoswitch.security;

import static io.isoswitch.security.TestHsm.HSM;
import static io.isoswitch.security.TestHsm.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import io.isoswitch.testkit.gen.Gens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.security.Key;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.params.DESParameters;
import org.jpos.core.SimpleConfiguration;
import org.jpos.security.EncryptedPIN;
import org.jpos.security.KeySerialNumber;
import org.jpos.security.SMAdapter;
import org.jpos.security.SMException;
import org.jpos.security.SecureDESKey;
import org.jpos.security.jceadapter.JCESecurityModule;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * Differential tests against jPOS's own software security module (JCESecurityModule, test scope)
 * on random keys and inputs, for what it also implements: PIN blocks format 0 (its FORMAT01) and
 * format 1 (its FORMAT05), PIN translation, X9.19 MAC, CVV, Visa PVV, TDES DUKPT and KCVs.
 * jPOS 3.0.1 has no ISO format 3 (its FORMAT03 is the Diebold format), so format 3 is checked
 * against our own format 0 after translation instead.
 */
class JposCrossCheckProperties {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final JCESecurityModule JPOS = jpos();

    private static JCESecurityModule jpos() {
        try {
            Path lmk = Files.createTempFile("jpos-lmk", ".txt");
            lmk.toFile().deleteOnExit();
            Properties properties = new Properties();
            properties.setProperty("lmk", lmk.toString());
            properties.setProperty("rebuildlmk", "true");
            // jPOS's EDE MAC ("DESEDEMAC") comes from Bouncy Castle's JCE provider
            properties.setProperty("provider", "org.bouncycastle.jce.provider.BouncyCastleProvider");
            JCESecurityModule module = new JCESecurityModule();
            module.setConfiguration(new SimpleConfiguration(properties));
            return module;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("jPOS security module did not start", e);
        }
    }

    /** A random double-length TDES key with odd parity (jPOS refuses others). */
    private static String randomTdesKey() {
        byte[] key = new byte[16];
        RANDOM.nextBytes(key);
        DESParameters.setOddParity(key);
        return hex(key);
    }

    private static SecureDESKey jposKey(String type, String clear) throws SMException {
        return JPOS.formKEYfromClearComponents(SMAdapter.LENGTH_DES3_2KEY, type, clear);
    }

    private static SecureKey ours(KeyKind kind, String clear) {
        List<byte[]> components = new ArrayList<>();
        components.add(hex(clear));
        return HSM.formKey(kind, KeyAlgorithm.TDES_2KEY, components);
    }

    /** A check that calls jPOS, whose methods throw checked exceptions. */
    @FunctionalInterface
    private interface JposCheck {
        void run() throws Exception;
    }

    /** Runs a check inside a property, where a checked exception fails the try like any other. */
    private static void checking(JposCheck check) {
        try {
            check.run();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Gen<String> pins() {
        return Gens.numericStrings(4, 12);
    }

    private static Gen<String> pans() {
        return Gens.numericStrings(13, 19);
    }

    /** jPOS pads empty data to no block at all where ISO 9797-1 pads it to one, so at least one byte. */
    private static Gen<byte[]> macData() {
        return Gens.byteArrays(1, 300);
    }

    private static Gen<String> expiries() {
        return integers().between(0, 9912).map(v -> String.format("%04d", v));
    }

    private static Gen<String> serviceCodes() {
        return Gens.numericStrings(3, 3);
    }

    @Test
    void format0PinBlocksMatchJpos() {
        qt().withExamples(150).forAll(pins(), pans()).checkAssert((pin, pan) -> checking(() -> {
            String tpk = randomTdesKey();
            byte[] ourBlock = HSM.encryptPin(ours(KeyKind.TPK, tpk), pin, pan, PinBlockFormat.ISO_0);
            EncryptedPIN jposBlock = JPOS.exportPIN(JPOS.encryptPIN(pin, pan), jposKey(SMAdapter.TYPE_TPK, tpk), SMAdapter.FORMAT01);
            assertThat(hex(ourBlock)).isEqualTo(hex(jposBlock.getPINBlock()));
        }));
    }

    @Test
    void translationMatchesJposAcrossFormats0And1() {
        qt().withExamples(150).forAll(pins(), pans()).checkAssert((pin, pan) -> checking(() -> {
            String tpk = randomTdesKey();
            String zpk = randomTdesKey();
            String account = EncryptedPIN.extractAccountNumberPart(pan);
            // a format 1 block made by jPOS, translated to format 0 by both
            EncryptedPIN jposIso1 = JPOS.exportPIN(JPOS.encryptPIN(pin, pan), jposKey(SMAdapter.TYPE_TPK, tpk), SMAdapter.FORMAT05);
            EncryptedPIN jposIso0 = JPOS.translatePIN(jposIso1, jposKey(SMAdapter.TYPE_TPK, tpk), jposKey(SMAdapter.TYPE_ZPK, zpk), SMAdapter.FORMAT01);
            byte[] ourIso0 = HSM.translatePin(ours(KeyKind.TPK, tpk), jposIso1.getPINBlock(), PinBlockFormat.ISO_1, pan,
                    ours(KeyKind.ZPK, zpk), PinBlockFormat.ISO_0);
            assertThat(hex(ourIso0)).isEqualTo(hex(jposIso0.getPINBlock()));
            // a format 1 block made by us, read by jPOS
            byte[] ourIso1 = HSM.encryptPin(ours(KeyKind.TPK, tpk), pin, pan, PinBlockFormat.ISO_1);
            EncryptedPIN fromOurs = JPOS.translatePIN(new EncryptedPIN(ourIso1, SMAdapter.FORMAT05, account, false),
                    jposKey(SMAdapter.TYPE_TPK, tpk), jposKey(SMAdapter.TYPE_ZPK, zpk), SMAdapter.FORMAT01);
            assertThat(hex(fromOurs.getPINBlock())).isEqualTo(hex(ourIso0));
            // format 3 has no jPOS counterpart: it must translate to the same format 0 block
            byte[] ourIso3 = HSM.encryptPin(ours(KeyKind.TPK, tpk), pin, pan, PinBlockFormat.ISO_3);
            assertThat(hex(HSM.translatePin(ours(KeyKind.TPK, tpk), ourIso3, PinBlockFormat.ISO_3, pan,
                    ours(KeyKind.ZPK, zpk), PinBlockFormat.ISO_0))).isEqualTo(hex(ourIso0));
        }));
    }

    /**
     * jPOS's public "EDE MAC" is Bouncy Castle's DESEDEMAC, i.e. ISO 9797-1 algorithm 1 with the
     * whole TDES key and a 4-byte result; its own algorithm 3 (X9.19) code is the private
     * {@code calculateMACISO9797Alg3}, reached here by reflection.
     */
    @Test
    void x919MacMatchesJpos() throws NoSuchMethodException {
        Method alg3 = JCESecurityModule.class.getDeclaredMethod("calculateMACISO9797Alg3", Key.class, byte[].class);
        alg3.setAccessible(true);
        qt().withExamples(150).forAll(macData()).checkAssert(data -> checking(() -> {
            String tak = randomTdesKey();
            byte[] ours = HSM.generateMac(ours(KeyKind.TAK, tak), MacAlgorithm.ANSI_X9_19, data, 0, data.length);
            byte[] theirs = (byte[]) alg3.invoke(JPOS, new SecretKeySpec(hex(tak), "DESede"), data);
            assertThat(hex(ours)).isEqualTo(hex(theirs));
        }));
    }

    @Test
    void tdesCbcMacMatchesJposEdeMac() {
        qt().withExamples(150).forAll(macData()).checkAssert(data -> checking(() -> {
            String tak = randomTdesKey();
            SecureKey ourTak = ours(KeyKind.TAK, tak);
            byte[] ours = HSM.generateMac(ourTak, MacAlgorithm.ISO9797_1_ALG1_PAD1, data, 0, data.length);
            byte[] theirs = JPOS.generateEDE_MAC(data, jposKey(SMAdapter.TYPE_TAK, tak));
            assertThat(hex(ours)).startsWith(hex(theirs));
            assertThat(HSM.verifyMac(ourTak, MacAlgorithm.ISO9797_1_ALG1_PAD1, data, 0, data.length, theirs)).isTrue();
        }));
    }

    @Test
    void cvvMatchesJpos() {
        qt().withExamples(150).forAll(pans(), expiries(), serviceCodes()).checkAssert((pan, expiry, serviceCode) -> checking(() -> {
            String cvk = randomTdesKey();
            String theirs = JPOS.calculateCVD(pan, jposKey(SMAdapter.TYPE_CVK, cvk), null, expiry, serviceCode);
            SecureKey ourCvk = ours(KeyKind.CVK, cvk);
            assertThat(HSM.generateCvv(ourCvk, pan, expiry, serviceCode)).isEqualTo(theirs);
            assertThat(HSM.verifyCvv(ourCvk, pan, expiry, serviceCode, theirs)).isTrue();
        }));
    }

    @Test
    void visaPvvMatchesJpos() {
        qt().withExamples(100).forAll(pins(), pans()).checkAssert((pin, pan) -> checking(() -> {
            String tpk = randomTdesKey();
            String pvk = randomTdesKey();
            int pvki = RANDOM.nextInt(10);
            String theirs = JPOS.calculatePVV(JPOS.encryptPIN(pin, pan), jposKey(SMAdapter.TYPE_PVK, pvk), null, pvki);
            SecureKey ourTpk = ours(KeyKind.TPK, tpk);
            byte[] block = HSM.encryptPin(ourTpk, pin, pan, PinBlockFormat.ISO_0);
            assertThat(HSM.visaPvv(ourTpk, block, PinBlockFormat.ISO_0, pan, ours(KeyKind.PVK, pvk), pvki)).isEqualTo(theirs);
        }));
    }

    @Test
    void tdesDukptPinTranslationMatchesJpos() {
        qt().withExamples(100).forAll(pins(), pans()).checkAssert((pin, pan) -> checking(() -> {
            String bdk = randomTdesKey();
            String zpk = randomTdesKey();
            byte[] ksn = new byte[10];
            RANDOM.nextBytes(ksn);
            ksn[7] &= (byte) 0xE3; // keep the 21-bit counter under 2^18 so few shifts are needed either way
            SecureKey ourBdk = ours(KeyKind.BDK, bdk);
            byte[] block = HSM.encryptPinDukpt(ourBdk, Ksn.of(ksn), pin, pan, PinBlockFormat.ISO_0);
            String account = EncryptedPIN.extractAccountNumberPart(pan);
            EncryptedPIN theirs = JPOS.translatePIN(new EncryptedPIN(block, SMAdapter.FORMAT01, account, false),
                    new KeySerialNumber(ksn), jposKey(SMAdapter.TYPE_BDK, bdk), jposKey(SMAdapter.TYPE_ZPK, zpk), SMAdapter.FORMAT01, true);
            byte[] ourTranslation = HSM.translatePinFromDukpt(ourBdk, Ksn.of(ksn), block, PinBlockFormat.ISO_0, pan,
                    ours(KeyKind.ZPK, zpk), PinBlockFormat.ISO_0);
            assertThat(hex(ourTranslation)).isEqualTo(hex(theirs.getPINBlock()));
        }));
    }

    @Test
    void checkValuesMatchJpos() {
        qt().withExamples(150).forAll(Gens.byteArrays(16, 16)).checkAssert(random -> checking(() -> {
            byte[] key = random.clone();
            DESParameters.setOddParity(key);
            String clear = hex(key);
            byte[] theirs = JPOS.generateKeyCheckValue(jposKey(SMAdapter.TYPE_ZMK, clear));
            assertThat(hex(theirs)).startsWith(ours(KeyKind.ZMK, clear).kcv());
        }));
    }
}
