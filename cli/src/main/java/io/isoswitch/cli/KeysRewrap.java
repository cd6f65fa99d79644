package io.isoswitch.cli;

import io.isoswitch.security.LmkRotation;
import io.isoswitch.security.LocalMasterKey;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.security.SecureRandom;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code iso-switch keys rewrap --to-lmk NEW FILE...}: the LMK rotation. Every key block under the
 * current LMK in each file (configuration, terminals file, {@code pan-keys.properties}) is written
 * again under the new LMK, in place; the rest of the file is left as it was. Each file is replaced
 * whole (written beside it, then moved over it) with its permissions, so a file is never half
 * re-wrapped. Key blocks that do not open under the current LMK are counted and left.
 */
@Command(name = "rewrap", mixinStandardHelpOptions = true,
        description = "LMK rotation: re-wrap every key block under the current LMK in the files given under the new LMK (--to-lmk), in place.")
final class KeysRewrap extends KeysCommand.Step {
    @Option(names = "--to-lmk", required = true, paramLabel = "FILE", description = "The new LMK file (made with keys init)")
    Path newLmk;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Files holding key blocks: configuration, terminals file, pan-keys.properties")
    List<Path> files;

    @Override
    void execute(PrintWriter out) {
        LocalMasterKey from = parent.lmk();
        LocalMasterKey to = LocalMasterKey.read(newLmk);
        LmkRotation rotation = new LmkRotation(from, to, new SecureRandom());
        out.println("from LMK kcv " + from.kcv() + " to LMK kcv " + to.kcv());
        for (Path file : files) {
            LmkRotation.Rewrapped result = rotation.rewrapAll(read(file));
            if (result.rewrapped() > 0) {
                replace(file, result.text());
            }
            out.println(file + ": " + result.rewrapped() + " key block(s) re-wrapped"
                    + (result.notUnderOldLmk() == 0 ? "" : ", " + result.notUnderOldLmk() + " left (not under the current LMK)"));
        }
        out.flush();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
        }
    }

    private static void replace(Path file, String text) {
        Path next = file.resolveSibling(file.getFileName() + ".rewrap");
        try {
            Files.writeString(next, text, StandardCharsets.UTF_8);
            PosixFileAttributeView posix = Files.getFileAttributeView(file, PosixFileAttributeView.class);
            if (posix != null) {
                Files.setPosixFilePermissions(next, posix.readAttributes().permissions());
            }
            Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write " + file + ": " + e.getMessage());
        }
    }
}
