package io.isoswitch.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalMasterKeyTest {
    @TempDir
    Path dir;

    @Test
    void writesAnOwnerOnlyFileAndReadsItBack() throws Exception {
        LocalMasterKey lmk = LocalMasterKey.generate(new SecureRandom());
        Path file = dir.resolve("data/lmk.key");
        lmk.writeNew(file);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(LocalMasterKey.read(file).kcv()).isEqualTo(lmk.kcv());
        assertThat(Files.readString(file)).contains("# kcv=" + lmk.kcv());
    }

    @Test
    void refusesToOverwriteAnExistingLmk() {
        Path file = dir.resolve("lmk.key");
        LocalMasterKey.generate(new SecureRandom()).writeNew(file);
        assertThatThrownBy(() -> LocalMasterKey.generate(new SecureRandom()).writeNew(file))
                .isInstanceOf(HsmException.class).hasMessageContaining("already exists");
    }

    @Test
    void detectsADamagedFileByItsCheckValue() throws Exception {
        Path file = dir.resolve("lmk.key");
        Files.writeString(file, "# kcv=000000\n" + "00".repeat(32) + "\n");
        assertThatThrownBy(() -> LocalMasterKey.read(file)).isInstanceOf(HsmException.class).hasMessageContaining("damaged");
    }

    @Test
    void locatesByOptionThenPathVariableThenValueVariable() {
        Path file = dir.resolve("lmk.key");
        LocalMasterKey inFile = LocalMasterKey.generate(new SecureRandom());
        inFile.writeNew(file);
        String value = "11".repeat(32);
        String valueKcv = LocalMasterKey.fromHex(value).kcv();
        assertThat(LocalMasterKey.locate(file, Map.of()).kcv()).isEqualTo(inFile.kcv());
        assertThat(LocalMasterKey.locate(null, Map.of(LocalMasterKey.PATH_VARIABLE, file.toString(),
                LocalMasterKey.VALUE_VARIABLE, value)).kcv()).isEqualTo(inFile.kcv());
        assertThat(LocalMasterKey.locate(null, Map.of(LocalMasterKey.VALUE_VARIABLE, value)).kcv()).isEqualTo(valueKcv);
        assertThat(LocalMasterKey.location(null, Map.of())).isEqualTo(LocalMasterKey.DEFAULT_PATH);
    }

    @Test
    void rejectsValuesOfTheWrongLengthWithoutEchoingThem() {
        assertThatThrownBy(() -> LocalMasterKey.fromHex("ABCDEF")).isInstanceOf(HsmException.class)
                .hasMessageContaining("64 hex digits").hasMessageNotContaining("ABCDEF");
    }

    @Test
    void toStringShowsOnlyTheCheckValue() {
        LocalMasterKey lmk = LocalMasterKey.fromHex("22".repeat(32));
        assertThat(lmk.toString()).isEqualTo("LocalMasterKey[AES_256 kcv=" + lmk.kcv() + "]").doesNotContain("2222");
    }
}
