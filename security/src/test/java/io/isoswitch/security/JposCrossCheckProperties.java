package io.isoswitch.security;

import static io.isoswitch.security.TestHsm.HSM;
import static io.isoswitch.security.TestHsm.hex;
import static org.assertj.core.api.Assertions.assertThat;

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
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.bouncycastle.crypto.params.DESParameters;
import org.jpos.core.SimpleConfiguration;
import org.jpos.security.EncryptedPIN;
import org.jpos.security.KeySerialNumber;
import org.jpos.security.SMAdapter;
import org.jpos.security.SMException;
import org.jpos.security.SecureDESKey;
import org.jpos.security.jceadapter.JCESecurityModule;

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

    @Provide
    Arbitrary<String> pins() {
        return Arbitraries.strings().numeric().ofMinLength(4).ofMaxLength(12);
    }

    @Provide
    Arbitrary<String> pans() {
        return Arbitraries.strings().numeric().ofMinLength(13).ofMaxLength(19);
    }

    @Property(tries = 150)
    void format0PinBlocksMatchJpos(@ForAll("pins") String pin, @ForAll("pans") String pan) throws SMException {
        String tpk = randomTdesKey();
        byte[] ourBlock = HSM.encryptPin(ours(KeyKind.TPK, tpk), pin, pan, PinBlockFormat.ISO_0);
        String account = EncryptedPIN.extractAccountNumberPart(pan);
        EncryptedPIN jposBlock = JPOS.exportPIN(JPOS.encryptPIN(pin, pan), jposKey(SMAdapter.TYPE_TPK, tpk), SMAdapter.FORMAT01);
        assertThat(hex(ourBlock)).isEqualTo(hex(jposBlock.getPINBlock()));
    }

    @Property(tries = 150)
    void translationMatchesJposAcrossFormats0And1(@ForAll("pins") String pin, @ForAll("pans") String pan) throws SMException {
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
    }

    /**
     * jPOS's public "EDE MAC" is Bouncy Castle's DESEDEMAC, i.e. ISO 9797-1 algorithm 1 with the
     * whole TDES key and a 4-byte result; its own algorithm 3 (X9.19) code is the private
     * {@code calculateMACISO9797Alg3}, reached here by reflection. jPOS pads empty data to no
     * block at all where ISO 9797-1 pads it to one, so data is at least one byte.
     */
    @Property(tries = 150)
    void x919MacMatchesJpos(@ForAll("macData") byte[] data) throws Exception {
        String tak = randomTdesKey();
        byte[] ours = HSM.generateMac(ours(KeyKind.TAK, tak), MacAlgorithm.ANSI_X9_19, data, 0, data.length);
        Method alg3 = JCESecurityModule.class.getDeclaredMethod("calculateMACISO9797Alg3", Key.class, byte[].class);
        alg3.setAccessible(true);
        byte[] theirs = (byte[]) alg3.invoke(JPOS, new SecretKeySpec(hex(tak), "DESede"), data);
        assertThat(hex(ours)).isEqualTo(hex(theirs));
    }

    @Property(tries = 150)
    void tdesCbcMacMatchesJposEdeMac(@ForAll("macData") byte[] data) throws SMException {
        String tak = randomTdesKey();
        SecureKey ourTak = ours(KeyKind.TAK, tak);
        byte[] ours = HSM.generateMac(ourTak, MacAlgorithm.ISO9797_1_ALG1_PAD1, data, 0, data.length);
        byte[] theirs = JPOS.generateEDE_MAC(data, jposKey(SMAdapter.TYPE_TAK, tak));
        assertThat(hex(ours)).startsWith(hex(theirs));
        assertThat(HSM.verifyMac(ourTak, MacAlgorithm.ISO9797_1_ALG1_PAD1, data, 0, data.length, theirs)).isTrue();
    }

    @Provide
    Arbitrary<byte[]> macData() {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(300);
    }

    @Property(tries = 150)
    void cvvMatchesJpos(@ForAll("pans") String pan, @ForAll("expiries") String expiry, @ForAll("serviceCodes") String serviceCode)
            throws SMException {
        String cvk = randomTdesKey();
        String theirs = JPOS.calculateCVD(pan, jposKey(SMAdapter.TYPE_CVK, cvk), null, expiry, serviceCode);
        SecureKey ourCvk = ours(KeyKind.CVK, cvk);
        assertThat(HSM.generateCvv(ourCvk, pan, expiry, serviceCode)).isEqualTo(theirs);
        assertThat(HSM.verifyCvv(ourCvk, pan, expiry, serviceCode, theirs)).isTrue();
    }

    @Provide
    Arbitrary<String> expiries() {
        return Arbitraries.integers().between(0, 9912).map(v -> String.format("%04d", v));
    }

    @Provide
    Arbitrary<String> serviceCodes() {
        return Arbitraries.strings().numeric().ofLength(3);
    }

    @Property(tries = 100)
    void visaPvvMatchesJpos(@ForAll("pins") String pin, @ForAll("pans") String pan) throws SMException {
        String tpk = randomTdesKey();
        String pvk = randomTdesKey();
        int pvki = RANDOM.nextInt(10);
        String account = EncryptedPIN.extractAccountNumberPart(pan);
        String theirs = JPOS.calculatePVV(JPOS.encryptPIN(pin, pan), jposKey(SMAdapter.TYPE_PVK, pvk), null, pvki);
        SecureKey ourTpk = ours(KeyKind.TPK, tpk);
        byte[] block = HSM.encryptPin(ourTpk, pin, pan, PinBlockFormat.ISO_0);
        assertThat(HSM.visaPvv(ourTpk, block, PinBlockFormat.ISO_0, pan, ours(KeyKind.PVK, pvk), pvki)).isEqualTo(theirs);
    }

    @Property(tries = 100)
    void tdesDukptPinTranslationMatchesJpos(@ForAll("pins") String pin, @ForAll("pans") String pan) throws SMException {
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
    }

    @Property(tries = 150)
    void checkValuesMatchJpos(@ForAll @Size(16) byte[] random) throws SMException {
        DESParameters.setOddParity(random);
        String key = hex(random);
        byte[] theirs = JPOS.generateKeyCheckValue(jposKey(SMAdapter.TYPE_ZMK, key));
        assertThat(hex(theirs)).startsWith(ours(KeyKind.ZMK, key).kcv());
    }
}
