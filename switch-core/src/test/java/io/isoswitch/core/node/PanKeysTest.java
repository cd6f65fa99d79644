package io.isoswitch.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.core.config.SecurityConfig;
import io.isoswitch.security.Hsm;
import io.isoswitch.security.LocalMasterKey;
import io.isoswitch.security.SoftwareHsm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PanKeysTest {
    @TempDir
    Path dir;

    /**
     * Regression: pan-keys.properties was written readable by every user of the machine, beside an
     * LMK file only its owner may read; anyone who came by both could turn tokens and PAN
     * ciphertexts back into card numbers.
     */
    @Test
    void generatedKeysAreWrittenForTheOwnerOnlyAndFoundAgain() throws Exception {
        Hsm hsm = new SoftwareHsm(LocalMasterKey.generate(new SecureRandom()));
        SecurityConfig config = new SecurityConfig(dir.resolve("lmk.key").toString(), null, null);
        PanKeys generated = PanKeys.resolve(config, hsm);
        Path file = dir.resolve("pan-keys.properties");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        PanKeys again = PanKeys.resolve(config, hsm);
        assertThat(again.tokenKey().kcv()).isEqualTo(generated.tokenKey().kcv());
        assertThat(again.dataKey().kcv()).isEqualTo(generated.dataKey().kcv());
    }
}
