package io.isoswitch.core.node;

import io.isoswitch.core.config.SecurityConfig;
import io.isoswitch.security.Hsm;
import io.isoswitch.security.KeyAlgorithm;
import io.isoswitch.security.KeyKind;
import io.isoswitch.security.SecureKey;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;

/**
 * The two keys that protect card data at rest: the HMAC key behind PAN tokens and the AES key the
 * PAN is encrypted under. Every node must use the same two (a token made on one node must find the
 * counters and originals made on another), so they are key blocks under the shared LMK: named in
 * the configuration, or else kept in {@code pan-keys.properties} beside the LMK file, generated on
 * first start. {@link SharedPanKeys} refuses to start a node whose two are not the journal's.
 *
 * @param tokenKey the HMAC-SHA256 key
 * @param dataKey  the AES-256 key
 * @param file     the {@code pan-keys.properties} they were read from or generated into, or null
 *                 where the configuration names them
 */
public record PanKeys(SecureKey tokenKey, SecureKey dataKey, Path file) {
    static final String FILE_NAME = "pan-keys.properties";

    /** The configured keys, or the ones beside the LMK file (created if absent). */
    public static PanKeys resolve(SecurityConfig config, Hsm hsm) {
        if (config.panTokenKey() != null && config.panDataKey() != null) {
            return new PanKeys(hsm.loadKey(config.panTokenKey()), hsm.loadKey(config.panDataKey()), null);
        }
        Path file = Path.of(config.lmkFile()).toAbsolutePath().resolveSibling(FILE_NAME);
        try {
            if (Files.exists(file)) {
                Properties keys = new Properties();
                try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    keys.load(in);
                }
                return new PanKeys(hsm.loadKey(keys.getProperty("tokenKey")), hsm.loadKey(keys.getProperty("dataKey")), file);
            }
            PanKeys generated = new PanKeys(hsm.generateKey(KeyKind.HMAC, KeyAlgorithm.AES_256),
                    hsm.generateKey(KeyKind.DATA, KeyAlgorithm.AES_256), file);
            Properties keys = new Properties();
            keys.setProperty("tokenKey", generated.tokenKey().keyBlock());
            keys.setProperty("dataKey", generated.dataKey().keyBlock());
            Files.createDirectories(file.getParent());
            // owner only, as the LMK file beside it: the blocks are useless without the LMK, but
            // whoever reads both files holds the keys that turn tokens and ciphertexts back into PANs
            if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                keys.store(out, "iso-switch PAN protection keys, as key blocks under the LMK");
            }
            return generated;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write " + file, e);
        }
    }
}
