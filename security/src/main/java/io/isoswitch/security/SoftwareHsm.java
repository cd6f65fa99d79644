package io.isoswitch.security;

import io.isoswitch.security.internal.Bytes;
import io.isoswitch.security.internal.CardVerification;
import io.isoswitch.security.internal.Ciphers;
import io.isoswitch.security.internal.Digits;
import io.isoswitch.security.internal.LoadedKey;
import io.isoswitch.security.internal.Macs;
import io.isoswitch.security.internal.PinBlocks;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The software {@link Hsm} on Bouncy Castle's lightweight API. Keys are TR-31 blocks under a
 * {@link LocalMasterKey}; unwrapped keys stay in this object (cached with per-thread engines) and
 * clear PIN buffers are wiped after each operation. Logs name operations, key kinds and check
 * values only, at TRACE.
 */
public final class SoftwareHsm implements Hsm {
    private static final Logger LOG = LoggerFactory.getLogger(SoftwareHsm.class);
    static final Set<KeyKind> PIN_KEYS = EnumSet.of(KeyKind.TPK, KeyKind.ZPK);
    static final Set<KeyKind> MAC_KEYS = EnumSet.of(KeyKind.TAK, KeyKind.ZAK);
    // one set per kind, built once: these are read on every call, never changed
    private static final Set<KeyKind> TDK_KEYS = EnumSet.of(KeyKind.TDK);
    private static final Set<KeyKind> CVK_KEYS = EnumSet.of(KeyKind.CVK);
    private static final Set<KeyKind> HMAC_KEYS = EnumSet.of(KeyKind.HMAC);
    private static final Set<KeyKind> DATA_KEYS = EnumSet.of(KeyKind.DATA);
    /** Verification needs at least this many MAC bytes (a 4-byte truncated MAC is common). */
    static final int MIN_MAC_LENGTH = 4;

    private final KeyVault vault;
    private final KeyExchange exchange;
    private final DukptKeys dukpt;
    private final PinVerification verification;

    public SoftwareHsm(LocalMasterKey lmk) {
        this(lmk, new SecureRandom());
    }

    public SoftwareHsm(LocalMasterKey lmk, SecureRandom random) {
        this.vault = new KeyVault(lmk, random);
        this.exchange = new KeyExchange(vault);
        this.dukpt = new DukptKeys(vault);
        this.verification = new PinVerification(vault);
    }

    // ---- keys

    @Override
    public SecureKey generateKey(KeyKind kind, KeyAlgorithm algorithm) {
        return exchange.generate(kind, algorithm);
    }

    @Override
    public SecureKey generateSingleLengthKey(KeyKind kind) {
        return exchange.generateSingleLength(kind);
    }

    @Override
    public boolean singleLength(SecureKey key) {
        LoadedKey loaded = vault.load(Objects.requireNonNull(key, "key").keyBlock());
        if (loaded.algorithm() != KeyAlgorithm.TDES_2KEY) {
            return false;
        }
        byte[] clear = loaded.copyOfKey();
        try {
            return MessageDigest.isEqual(Arrays.copyOfRange(clear, 0, 8), Arrays.copyOfRange(clear, 8, 16));
        } finally {
            Arrays.fill(clear, (byte) 0);
        }
    }

    @Override
    public SecureKey formKey(KeyKind kind, KeyAlgorithm algorithm, List<byte[]> clearComponents) {
        return exchange.form(kind, algorithm, clearComponents);
    }

    @Override
    public SecureKey loadKey(String keyBlock) {
        SecureKey key = vault.handle(Objects.requireNonNull(keyBlock, "keyBlock"));
        LOG.trace("loadKey {}", key);
        return key;
    }

    @Override
    public ExportedKey exportKey(SecureKey key, SecureKey kek) {
        return exchange.export(key, kek);
    }

    @Override
    public String exportKeyBlock(SecureKey key, SecureKey kek) {
        return exchange.exportBlock(key, kek);
    }

    @Override
    public SecureKey importKey(KeyKind kind, KeyAlgorithm algorithm, byte[] cryptogram, SecureKey kek, byte[] expectedCheckValue) {
        return exchange.importEcb(kind, algorithm, cryptogram, kek, expectedCheckValue);
    }

    @Override
    public SecureKey importKeyBlock(String keyBlock, SecureKey kek) {
        return exchange.importBlock(keyBlock, kek);
    }

    // ---- PIN

    @Override
    public byte[] encryptPin(SecureKey pinKey, CharSequence pin, String pan, PinBlockFormat format) {
        LoadedKey key = vault.load(pinKey, "encryptPin", "pinKey", PIN_KEYS);
        return encipher(key, pin, pan, format, "encryptPin");
    }

    @Override
    public byte[] encryptPinDukpt(SecureKey bdk, Ksn ksn, CharSequence pin, String pan, PinBlockFormat format) {
        LoadedKey key = dukpt.derive(bdk, ksn, DukptKeyUsage.PIN, "encryptPinDukpt");
        return encipher(key, pin, pan, format, "encryptPinDukpt");
    }

    private byte[] encipher(LoadedKey key, CharSequence pin, String pan, PinBlockFormat format, String operation) {
        checkFormat(operation, key, format);
        byte[] digits = Digits.parse(pin, "pin", PinBlocks.MIN_PIN, PinBlocks.MAX_PIN);
        try {
            return PinBlocks.encipher(format, key.encryptor(), digits, pan, vault.random());
        } finally {
            Bytes.wipe(digits);
        }
    }

    @Override
    public byte[] translatePin(SecureKey source, byte[] pinBlock, PinBlockFormat sourceFormat, String pan,
                               SecureKey destination, PinBlockFormat destinationFormat) {
        LoadedKey from = vault.load(source, "translatePin", "source", PIN_KEYS);
        LoadedKey to = vault.load(destination, "translatePin", "destination", PIN_KEYS);
        if (LOG.isTraceEnabled()) {
            LOG.trace("translatePin {} {} -> {} {}", source, sourceFormat, destination, destinationFormat);
        }
        return translate(from, pinBlock, sourceFormat, pan, to, destinationFormat, pan);
    }

    @Override
    public byte[] translatePin(SecureKey source, byte[] pinBlock, PinBlockFormat sourceFormat, String sourcePan,
                               SecureKey destination, PinBlockFormat destinationFormat, String destinationPan) {
        LoadedKey from = vault.load(source, "translatePin", "source", PIN_KEYS);
        LoadedKey to = vault.load(destination, "translatePin", "destination", PIN_KEYS);
        return translate(from, pinBlock, sourceFormat, sourcePan, to, destinationFormat, destinationPan);
    }

    @Override
    public byte[] translatePinFromDukpt(SecureKey bdk, Ksn ksn, byte[] pinBlock, PinBlockFormat sourceFormat, String pan,
                                        SecureKey destination, PinBlockFormat destinationFormat) {
        LoadedKey from = dukpt.derive(bdk, ksn, DukptKeyUsage.PIN, "translatePinFromDukpt");
        LoadedKey to = vault.load(destination, "translatePinFromDukpt", "destination", PIN_KEYS);
        if (LOG.isTraceEnabled()) {
            LOG.trace("translatePinFromDukpt {} ksn={} {} -> {} {}", bdk, ksn, sourceFormat, destination, destinationFormat);
        }
        return translate(from, pinBlock, sourceFormat, pan, to, destinationFormat, pan);
    }

    private byte[] translate(LoadedKey from, byte[] pinBlock, PinBlockFormat sourceFormat, String pan,
                             LoadedKey to, PinBlockFormat destinationFormat, String destinationPan) {
        checkFormat("translatePin", from, sourceFormat);
        checkFormat("translatePin", to, destinationFormat);
        byte[] pin = PinBlocks.decipher(sourceFormat, from.decryptor(), Objects.requireNonNull(pinBlock, "pinBlock"), pan);
        try {
            return PinBlocks.encipher(destinationFormat, to.encryptor(), pin, destinationPan, vault.random());
        } finally {
            Bytes.wipe(pin);
        }
    }

    @Override
    public String ibm3624Offset(SecureKey pinKey, byte[] pinBlock, PinBlockFormat format, String pan, SecureKey pvk,
                                String decimalisationTable, String validationData, int offsetLength) {
        return verification.ibm3624Offset(pinKey, pinBlock, format, pan, pvk, decimalisationTable, validationData, offsetLength);
    }

    @Override
    public boolean verifyPinIbm3624(SecureKey pinKey, byte[] pinBlock, PinBlockFormat format, String pan, SecureKey pvk,
                                    String decimalisationTable, String validationData, String offset) {
        return verification.verifyIbm3624(pinKey, pinBlock, format, pan, pvk, decimalisationTable, validationData, offset);
    }

    @Override
    public String visaPvv(SecureKey pinKey, byte[] pinBlock, PinBlockFormat format, String pan, SecureKey pvk, int pvki) {
        return verification.visaPvv(pinKey, pinBlock, format, pan, pvk, pvki);
    }

    @Override
    public boolean verifyPinVisaPvv(SecureKey pinKey, byte[] pinBlock, PinBlockFormat format, String pan, SecureKey pvk,
                                    int pvki, String pvv) {
        return verification.verifyVisaPvv(pinKey, pinBlock, format, pan, pvk, pvki, pvv);
    }

    static void checkFormat(String operation, LoadedKey key, PinBlockFormat format) {
        Objects.requireNonNull(format, "format");
        if (key.algorithm().blockSize() != format.blockLength()) {
            throw new KeyUsageException(operation + ": PIN block format " + format + " needs a key with "
                    + format.blockLength() + "-byte blocks, the " + key.kind() + " is " + key.algorithm());
        }
    }

    // ---- MAC

    @Override
    public byte[] generateMac(SecureKey macKey, MacAlgorithm algorithm, byte[] data, int offset, int length) {
        LoadedKey key = vault.load(macKey, "generateMac", "macKey", MAC_KEYS);
        return mac(key, algorithm, data, offset, length, "generateMac");
    }

    @Override
    public boolean verifyMac(SecureKey macKey, MacAlgorithm algorithm, byte[] data, int offset, int length, byte[] mac) {
        LoadedKey key = vault.load(macKey, "verifyMac", "macKey", MAC_KEYS);
        byte[] expected = mac(key, algorithm, data, offset, length, "verifyMac");
        return Bytes.constantTimePrefixEquals(expected, Objects.requireNonNull(mac, "mac"), MIN_MAC_LENGTH);
    }

    @Override
    public byte[] generateMacDukpt(SecureKey bdk, Ksn ksn, DukptKeyUsage usage, MacAlgorithm algorithm, byte[] data) {
        LoadedKey key = dukpt.derive(bdk, ksn, requireMacUsage(usage), "generateMacDukpt");
        return mac(key, algorithm, data, 0, data.length, "generateMacDukpt");
    }

    @Override
    public boolean verifyMacDukpt(SecureKey bdk, Ksn ksn, DukptKeyUsage usage, MacAlgorithm algorithm, byte[] data, byte[] mac) {
        LoadedKey key = dukpt.derive(bdk, ksn, requireMacUsage(usage), "verifyMacDukpt");
        byte[] expected = mac(key, algorithm, data, 0, data.length, "verifyMacDukpt");
        return Bytes.constantTimePrefixEquals(expected, Objects.requireNonNull(mac, "mac"), MIN_MAC_LENGTH);
    }

    private static DukptKeyUsage requireMacUsage(DukptKeyUsage usage) {
        if (usage != DukptKeyUsage.MAC_REQUEST && usage != DukptKeyUsage.MAC_RESPONSE) {
            throw new KeyUsageException("a DUKPT MAC needs usage MAC_REQUEST or MAC_RESPONSE, found " + usage);
        }
        return usage;
    }

    private static byte[] mac(LoadedKey key, MacAlgorithm algorithm, byte[] data, int offset, int length, String operation) {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.checkFromIndexSize(offset, length, Objects.requireNonNull(data, "data").length);
        if (!algorithm.accepts(key.algorithm())) {
            throw new KeyUsageException(operation + ": " + algorithm + " cannot use a " + key.algorithm() + " " + key.kind());
        }
        return Macs.compute(key.mac(algorithm), data, offset, length);
    }

    // ---- data

    @Override
    public byte[] encryptDataDukpt(SecureKey bdk, Ksn ksn, DukptKeyUsage usage, byte[] data) {
        LoadedKey key = dukpt.derive(bdk, ksn, requireDataUsage(usage), "encryptDataDukpt");
        return Ciphers.cbcEncrypt(key.encryptor(), new byte[key.algorithm().blockSize()], wholeBlocks(key, data));
    }

    @Override
    public byte[] decryptDataDukpt(SecureKey bdk, Ksn ksn, DukptKeyUsage usage, byte[] data) {
        LoadedKey key = dukpt.derive(bdk, ksn, requireDataUsage(usage), "decryptDataDukpt");
        return Ciphers.cbcDecrypt(key.decryptor(), new byte[key.algorithm().blockSize()], wholeBlocks(key, data));
    }

    private static DukptKeyUsage requireDataUsage(DukptKeyUsage usage) {
        if (usage != DukptKeyUsage.DATA_REQUEST && usage != DukptKeyUsage.DATA_RESPONSE) {
            throw new KeyUsageException("DUKPT data encryption needs usage DATA_REQUEST or DATA_RESPONSE, found " + usage);
        }
        return usage;
    }

    @Override
    public byte[] encryptData(SecureKey tdk, byte[] data) {
        LoadedKey key = vault.load(tdk, "encryptData", "tdk", TDK_KEYS);
        return Ciphers.ecb(key.encryptor(), wholeBlocks(key, data));
    }

    @Override
    public byte[] decryptData(SecureKey tdk, byte[] data) {
        LoadedKey key = vault.load(tdk, "decryptData", "tdk", TDK_KEYS);
        return Ciphers.ecb(key.decryptor(), wholeBlocks(key, data));
    }

    private static byte[] wholeBlocks(LoadedKey key, byte[] data) {
        Objects.requireNonNull(data, "data");
        if (data.length % key.algorithm().blockSize() != 0) {
            throw new HsmException("data of " + data.length + " bytes is not a whole number of "
                    + key.algorithm().blockSize() + "-byte blocks");
        }
        return data;
    }

    // ---- cards

    @Override
    public String generateCvv(SecureKey cvk, String pan, String expiryYymm, String serviceCode) {
        LoadedKey key = vault.load(cvk, "generateCvv", "cvk", CVK_KEYS);
        return Digits.toText(CardVerification.cvv(key.leftHalfEncryptor(), key.encryptor(), pan, expiryYymm, serviceCode));
    }

    @Override
    public boolean verifyCvv(SecureKey cvk, String pan, String expiryYymm, String serviceCode, String cvv) {
        byte[] expected = Digits.parse(cvv, "cvv", 3, 3);
        LoadedKey key = vault.load(cvk, "verifyCvv", "cvk", CVK_KEYS);
        byte[] actual = CardVerification.cvv(key.leftHalfEncryptor(), key.encryptor(), pan, expiryYymm, serviceCode);
        return MessageDigest.isEqual(actual, expected);
    }

    // ---- PAN protection

    @Override
    public String panToken(SecureKey hmacKey, String pan) {
        LoadedKey key = vault.load(hmacKey, "panToken", "hmacKey", HMAC_KEYS);
        return PanProtection.token(key, pan);
    }

    @Override
    public byte[] panTokenBytes(SecureKey hmacKey, String pan) {
        LoadedKey key = vault.load(hmacKey, "panToken", "hmacKey", HMAC_KEYS);
        return PanProtection.tokenBytes(key, pan);
    }

    @Override
    public byte[] encryptPan(SecureKey dataKey, String pan) {
        LoadedKey key = vault.load(dataKey, "encryptPan", "dataKey", DATA_KEYS);
        return PanProtection.encrypt(key, pan, vault.random());
    }

    @Override
    public String decryptPan(SecureKey dataKey, byte[] encrypted) {
        LoadedKey key = vault.load(dataKey, "decryptPan", "dataKey", DATA_KEYS);
        byte[] clear = key.copyOfKey();
        try {
            return PanProtection.decrypt(clear, encrypted);
        } finally {
            Bytes.wipe(clear);
        }
    }

    @Override
    public String toString() {
        return "SoftwareHsm";
    }
}
