package io.isoswitch.bench.security;

import io.isoswitch.security.KeyAlgorithm;
import io.isoswitch.security.KeyKind;
import io.isoswitch.security.LocalMasterKey;
import io.isoswitch.security.MacAlgorithm;
import io.isoswitch.security.PinBlockFormat;
import io.isoswitch.security.SecureKey;
import io.isoswitch.security.SoftwareHsm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.jpos.core.SimpleConfiguration;
import org.jpos.security.EncryptedPIN;
import org.jpos.security.SMAdapter;
import org.jpos.security.SecureDESKey;
import org.jpos.security.jceadapter.JCESecurityModule;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The two operations every PIN purchase costs the switch: verify the terminal's X9.19 MAC over a
 * 200-byte message, and translate the PIN block from the terminal's TPK to the issuer's ZPK
 * (ISO format 0 both sides). Keys are key blocks under an LMK, as in production; the HSM keeps
 * unwrapped keys and keyed Bouncy Castle engines per thread, so no provider lookup or key schedule
 * happens per call. The jPOS methods are the yardstick: its translatePIN, and its EDE MAC (TDES
 * CBC-MAC, jPOS's public MAC; its X9.19 code is private). Beside them, the two PAN protections the
 * journal applies to every card transaction (token and encryption, on the JDK's provider).
 *
 * <p>JVM flags: none beyond JMH's defaults ({@code -f 2} forks).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(2)
public class SecurityBenchmarks {
    private static final HexFormat HEX = HexFormat.of().withUpperCase();
    private static final String PAN = "4761739001010119";
    private static final String TPK = "0D1C2B3A49586776859493A2B1C0DFEF";
    private static final String ZPK = "1F2F3D4C5B6B79899786A4B5C2D3E0F1";
    private static final String TAK = "2A3B4C5D6E7F80919BABBCCDDFEFF101";

    private SoftwareHsm hsm;
    private SecureKey tak;
    private SecureKey tpk;
    private SecureKey zpk;
    private SecureKey hmacKey;
    private SecureKey dataKey;
    private byte[] message;
    private byte[] mac;
    private byte[] pinBlock;

    private JCESecurityModule jpos;
    private SecureDESKey jposTak;
    private SecureDESKey jposTpk;
    private SecureDESKey jposZpk;
    private EncryptedPIN jposPin;

    @Setup
    public void setUp() throws Exception {
        SecureRandom random = new SecureRandom();
        hsm = new SoftwareHsm(LocalMasterKey.generate(random), random);
        tak = hsm.formKey(KeyKind.TAK, KeyAlgorithm.TDES_2KEY, new java.util.ArrayList<>(List.of(HEX.parseHex(TAK))));
        tpk = hsm.formKey(KeyKind.TPK, KeyAlgorithm.TDES_2KEY, new java.util.ArrayList<>(List.of(HEX.parseHex(TPK))));
        zpk = hsm.formKey(KeyKind.ZPK, KeyAlgorithm.TDES_2KEY, new java.util.ArrayList<>(List.of(HEX.parseHex(ZPK))));
        hmacKey = hsm.generateKey(KeyKind.HMAC, KeyAlgorithm.AES_256);
        dataKey = hsm.generateKey(KeyKind.DATA, KeyAlgorithm.AES_256);
        message = new byte[200];
        random.nextBytes(message);
        mac = hsm.generateMac(tak, MacAlgorithm.ANSI_X9_19, message, 0, message.length);
        pinBlock = hsm.encryptPin(tpk, "739105", PAN, PinBlockFormat.ISO_0);
        if (!hsm.verifyMac(tak, MacAlgorithm.ANSI_X9_19, message, 0, message.length, mac)) {
            throw new IllegalStateException("MAC set-up does not verify");
        }

        Path lmk = Files.createTempFile("jpos-lmk", ".txt");
        lmk.toFile().deleteOnExit();
        Properties properties = new Properties();
        properties.setProperty("lmk", lmk.toString());
        properties.setProperty("rebuildlmk", "true");
        properties.setProperty("provider", "org.bouncycastle.jce.provider.BouncyCastleProvider");
        jpos = new JCESecurityModule();
        jpos.setConfiguration(new SimpleConfiguration(properties));
        jposTak = jpos.formKEYfromClearComponents(SMAdapter.LENGTH_DES3_2KEY, SMAdapter.TYPE_TAK, TAK);
        jposTpk = jpos.formKEYfromClearComponents(SMAdapter.LENGTH_DES3_2KEY, SMAdapter.TYPE_TPK, TPK);
        jposZpk = jpos.formKEYfromClearComponents(SMAdapter.LENGTH_DES3_2KEY, SMAdapter.TYPE_ZPK, ZPK);
        jposPin = new EncryptedPIN(pinBlock, SMAdapter.FORMAT01, PAN, true);
        byte[] jposResult = jpos.translatePIN(jposPin, jposTpk, jposZpk, SMAdapter.FORMAT01).getPINBlock();
        byte[] ours = hsm.translatePin(tpk, pinBlock, PinBlockFormat.ISO_0, PAN, zpk, PinBlockFormat.ISO_0);
        if (!java.util.Arrays.equals(jposResult, ours)) {
            throw new IllegalStateException("jPOS and iso-switch disagree on the translated PIN block");
        }
    }

    @Benchmark
    public boolean x919MacVerify200Bytes() {
        return hsm.verifyMac(tak, MacAlgorithm.ANSI_X9_19, message, 0, message.length, mac);
    }

    @Benchmark
    public byte[] pinTranslateTpkToZpk() {
        return hsm.translatePin(tpk, pinBlock, PinBlockFormat.ISO_0, PAN, zpk, PinBlockFormat.ISO_0);
    }

    /** The journal's card token for every card transaction: HMAC-SHA256 of the PAN. */
    @Benchmark
    public byte[] panToken() {
        return hsm.panTokenBytes(hmacKey, PAN);
    }

    /** The journal's encrypted PAN for every card transaction: AES-256-GCM with a fresh nonce. */
    @Benchmark
    public byte[] panEncrypt() {
        return hsm.encryptPan(dataKey, PAN);
    }

    @Benchmark
    public byte[] jposEdeMac200Bytes() throws Exception {
        return jpos.generateEDE_MAC(message, jposTak);
    }

    @Benchmark
    public EncryptedPIN jposPinTranslateTpkToZpk() throws Exception {
        return jpos.translatePIN(jposPin, jposTpk, jposZpk, SMAdapter.FORMAT01);
    }
}
