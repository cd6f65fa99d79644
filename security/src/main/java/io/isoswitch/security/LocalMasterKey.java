package io.isoswitch.security;

import io.isoswitch.security.internal.Bytes;
import io.isoswitch.security.internal.Kcv;
import io.isoswitch.security.internal.Tr31;
import io.isoswitch.security.internal.Tr31Header;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;

/**
 * The local master key (LMK): an AES-256 key that protects every other key as a TR-31 version D
 * key block. It lives in a file readable by its owner only, or in an environment variable.
 *
 * <p>File format (UTF-8 text): comment lines start with {@code #}; the line {@code # kcv=XXXXXX}
 * records the check value, verified on reading; the one other line is the key as 64 hex digits.
 */
public final class LocalMasterKey {
    /** Environment variable holding the LMK file's path. */
    public static final String PATH_VARIABLE = "ISO_SWITCH_LMK";
    /** Environment variable holding the LMK itself as hex (containers); the path wins if both are set. */
    public static final String VALUE_VARIABLE = "ISO_SWITCH_LMK_VALUE";
    /** Where the LMK lives when neither an option nor the environment says. */
    public static final Path DEFAULT_PATH = Path.of("data", "lmk.key");

    static final KeyAlgorithm ALGORITHM = KeyAlgorithm.AES_256;
    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    private final byte[] key;
    private final String kcv;

    private LocalMasterKey(byte[] key) {
        if (key.length != ALGORITHM.keyLength()) {
            throw new IllegalArgumentException("an LMK is " + ALGORITHM.keyLength() + " bytes, found " + key.length);
        }
        this.key = key.clone();
        this.kcv = HEX.formatHex(Kcv.of(ALGORITHM, this.key), 0, 3);
    }

    /** A new random LMK. */
    public static LocalMasterKey generate(SecureRandom random) {
        byte[] material = new byte[ALGORITHM.keyLength()];
        random.nextBytes(material);
        try {
            return new LocalMasterKey(material);
        } finally {
            Bytes.wipe(material);
        }
    }

    /** The LMK from 64 hex digits (the value of {@link #VALUE_VARIABLE}). */
    public static LocalMasterKey fromHex(String hex) {
        byte[] material;
        try {
            material = HEX.parseHex(hex.strip());
        } catch (IllegalArgumentException e) {
            throw new HsmException("LMK value is not hex");
        }
        try {
            return new LocalMasterKey(material);
        } catch (IllegalArgumentException e) {
            throw new HsmException("LMK value must be " + 2 * ALGORITHM.keyLength() + " hex digits, found " + 2 * material.length);
        } finally {
            Bytes.wipe(material);
        }
    }

    /** Reads an LMK file and checks its recorded check value. */
    public static LocalMasterKey read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new HsmException("cannot read the LMK file " + file + ": " + e.getClass().getSimpleName());
        }
        String recordedKcv = null;
        String value = null;
        for (String line : lines) {
            String text = line.strip();
            if (text.startsWith("# kcv=")) {
                recordedKcv = text.substring("# kcv=".length());
            } else if (!text.isEmpty() && !text.startsWith("#")) {
                if (value != null) {
                    throw new HsmException("the LMK file " + file + " has more than one key line");
                }
                value = text;
            }
        }
        if (value == null) {
            throw new HsmException("the LMK file " + file + " has no key line");
        }
        LocalMasterKey lmk = fromHex(value);
        if (recordedKcv != null && !recordedKcv.equalsIgnoreCase(lmk.kcv)) {
            throw new HsmException("the LMK file " + file + " records check value " + recordedKcv
                    + " but its key has " + lmk.kcv + " (the file is damaged)");
        }
        return lmk;
    }

    /**
     * Finds the LMK: the {@code option} file if given, else the file named by
     * {@link #PATH_VARIABLE}, else the hex in {@link #VALUE_VARIABLE}, else {@link #DEFAULT_PATH}.
     */
    public static LocalMasterKey locate(Path option, java.util.Map<String, String> environment) {
        if (option != null) {
            return read(option);
        }
        String path = environment.get(PATH_VARIABLE);
        if (path != null && !path.isBlank()) {
            return read(Path.of(path));
        }
        String value = environment.get(VALUE_VARIABLE);
        if (value != null && !value.isBlank()) {
            return fromHex(value);
        }
        return read(DEFAULT_PATH);
    }

    /** Where {@link #locate} reads from when given these inputs, for messages and {@code keys init}. */
    public static Path location(Path option, java.util.Map<String, String> environment) {
        if (option != null) {
            return option;
        }
        String path = environment.get(PATH_VARIABLE);
        return path != null && !path.isBlank() ? Path.of(path) : DEFAULT_PATH;
    }

    /**
     * Writes this LMK to a new file readable and writable by its owner only (on POSIX file
     * systems); refuses to overwrite an existing file, which would orphan every key under it.
     */
    public void writeNew(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(file);
            }
            String text = "# iso-switch local master key (AES-256). Keep secret; back it up.\n"
                    + "# kcv=" + kcv + "\n" + HEX.formatHex(key) + "\n";
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (FileAlreadyExistsException e) {
            throw new HsmException("the LMK file " + file + " already exists; refusing to overwrite it");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the LMK file " + file, e);
        }
    }

    /** The LMK's check value, 6 hex digits. */
    public String kcv() {
        return kcv;
    }

    String wrap(Tr31Header header, byte[] clearKey, SecureRandom random) {
        return Tr31.wrap(ALGORITHM, key, header, clearKey, random);
    }

    Tr31.Unwrapped unwrap(String keyBlock) {
        return Tr31.unwrap(ALGORITHM, key, keyBlock);
    }

    @Override
    public String toString() {
        return "LocalMasterKey[" + ALGORITHM + " kcv=" + kcv + "]";
    }
}
